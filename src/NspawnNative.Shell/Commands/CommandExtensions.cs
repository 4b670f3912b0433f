using System.CommandLine;

namespace NspawnNative.Shell.Commands;

internal delegate Task<int> VerbHandler(VerbContext context, CancellationToken cancellationToken);

internal static class CommandExtensions
{
    /// <summary>Attaches a handler. Exceptions travel to <see cref="ShellSession"/>, which reports them once.</summary>
    public static Command Handle(this Command command, ShellSession session, VerbHandler handler)
    {
        command.SetAction((parse, ct) => handler(session.CreateContext(parse), ct));
        return command;
    }

    /// <summary>Adds aliases (machinectl's alternative names) to a command.</summary>
    public static Command WithAliases(this Command command, params string[] aliases)
    {
        foreach (var alias in aliases)
            command.Aliases.Add(alias);
        return command;
    }
}

internal static class CompletionExtensions
{
    /// <summary>Makes Tab complete this argument with system names of <paramref name="kind"/> ("machine",
    /// "image", "device"), as registered in <see cref="ShellSession.Completions"/>.</summary>
    public static TArgument CompletesWith<TArgument>(this TArgument argument, ShellSession session, string kind)
        where TArgument : System.CommandLine.Argument
    {
        argument.CompletionSources.Add(_ => session.Completions.Get(kind).Select(n => new System.CommandLine.Completions.CompletionItem(n)));
        return argument;
    }
}
