using System.CommandLine;

namespace NspawnNative.Shell.Commands;

/// <summary>help and version: the verbs every mode has.</summary>
internal sealed class CoreVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session)
    {
        var verbs = new Argument<string[]>("verb") { Arity = ArgumentArity.ZeroOrMore, Description = "The verb (and sub-verb) to explain." };
        var help = new Command("help", "Show the verbs, or the options of one verb.") { verbs };
        help.Handle(session, (ctx, ct) => Task.FromResult(session.ShowHelp(ctx.Get(verbs) ?? [], ctx.Out.Writer)));

        var version = new Command("version", "Show the version of nspawn-native and of its interop library.");
        version.Handle(session, (ctx, ct) =>
        {
            ctx.Out.Line(ShellSession.VersionText);
            return Task.FromResult(ExitCodes.Success);
        });

        return [help, version];
    }
}
