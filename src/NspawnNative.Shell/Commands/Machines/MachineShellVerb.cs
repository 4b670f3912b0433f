using System.CommandLine;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary><c>shell [USER@]NAME [USER@] [-- CMD ARGS...]</c>: a login shell or one command in a machine on a pty that
/// machined opens (OpenMachineShell), relayed to this terminal; without a terminal the output is relayed until
/// the command ends.</summary>
internal static class MachineShellVerb
{
    public static Command Create(ShellSession session)
    {
        var name = new Argument<string>("NAME") { Description = "The machine, optionally as USER@NAME." }.CompletesWith(session, "machine");
        var command = new Argument<string[]>("COMMAND")
        {
            Description = "USER@ (optional), then the absolute path of the program and its arguments (put '--' before options); " +
                          "none for the user's login shell.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var verb = new Command("shell", "Open a shell in a machine, or run one command there on a pty.") { name, command };
        verb.Handle(session, async (ctx, ct) =>
        {
            var target = ctx.Get(name)!;
            var argv = (ctx.Get(command) ?? []).ToList();
            string user = "";
            int at = target.IndexOf('@');
            if (at >= 0)
            {
                user = target[..at];
                target = target[(at + 1)..];
            }
            if (argv.Count > 0 && argv[0].EndsWith('@'))
            {
                user = argv[0][..^1];
                argv.RemoveAt(0);
            }
            var machineName = Interop.MachineName.Validate(target);
            if (argv.Count > 0 && !argv[0].StartsWith('/'))
                throw new UsageException($"The program '{argv[0]}' is not an absolute path; give its full path, for example /bin/{argv[0]}.");

            bool terminal = !Console.IsInputRedirected && !ctx.Session.Interactive && ReferenceEquals(ctx.Out.Writer, Console.Out);
            var environment = new List<string>();
            if (terminal && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term)
                environment.Add($"TERM={term}");

            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            var shell = await new MachineManager(bus).OpenMachineShellAsync(machineName, user, argv, environment, ct);
            using var pty = shell.Pty;
            // TODO (dbus): pass the terminal's window size to the pty (TIOCSWINSZ) and follow SIGWINCH; forward standard
            // input when it is not a terminal; machined gives no exit status of the command to report.
            using var raw = terminal ? RawTerminal.TryEnter(0) : null;
            await PtyRelay.RelayAsync(pty, ctx.Out.Writer, raw is null ? null : Console.OpenStandardInput(), ct);
            return ExitCodes.Success;
        });
        return verb;
    }
}
