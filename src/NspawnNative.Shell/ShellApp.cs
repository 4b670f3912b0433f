using Microsoft.Extensions.Logging;
using NspawnNative.Shell.Repl;

namespace NspawnNative.Shell;

/// <summary>
/// Chooses the mode: a verb on the command line runs once; <c>-f FILE</c> or a non-terminal standard input runs a
/// script; otherwise the interactive shell starts. The same <see cref="ShellSession"/> parser serves all three.
/// </summary>
internal static class ShellApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null, bool? stdinIsTerminal = null)
    {
        var startup = new ShellSession(stdout, stderr, ShellSettings.Default);
        var parse = startup.Root.Parse(args);
        bool verbGiven = parse.CommandResult.Command != startup.Root;
        bool builtIn = parse.Action is not null && parse.CommandResult.Command == startup.Root && parse.Errors.Count == 0
                       && (args.Contains("--help") || args.Contains("-h") || args.Contains("-?") || args.Contains("--version"));

        if (verbGiven && parse.GetResult(startup.Globals.File) is not null)
        {
            using (startup)
                startup.Log.LogError("-f runs a script; give either -f FILE or a verb, not both. Try 'help'.");
            return ExitCodes.Usage;
        }
        if (verbGiven || builtIn || parse.Errors.Count > 0)
        {
            using (startup)
                return await RunOnceAsync(startup, args).ConfigureAwait(false);
        }

        // No verb: the global options given become the session's defaults.
        var defaults = startup.Globals.Resolve(parse, ShellSettings.Default);
        var file = parse.GetValue(startup.Globals.File);
        bool keepGoing = parse.GetValue(startup.Globals.KeepGoing);
        startup.Dispose();

        using var session = new ShellSession(stdout, stderr, defaults);
        if (file is not null)
            return await ScriptRunner.RunFileAsync(session, file, keepGoing).ConfigureAwait(false);

        bool terminal = stdinIsTerminal ?? !Console.IsInputRedirected;
        if (!terminal)
            return await ScriptRunner.RunAsync(session, stdin ?? Console.In, "<stdin>", keepGoing, CancellationToken.None).ConfigureAwait(false);

        return await new ReplLoop(session).RunAsync().ConfigureAwait(false);
    }

    private static async Task<int> RunOnceAsync(ShellSession session, string[] args)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl-C asks the command to stop and clean up; a second one ends the process.
            if (!cts.IsCancellationRequested)
            {
                e.Cancel = true;
                cts.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await session.ExecuteAsync(args, cts.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
