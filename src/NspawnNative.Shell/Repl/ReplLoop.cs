using Microsoft.Extensions.Logging;
using RadLine;

namespace NspawnNative.Shell.Repl;

/// <summary>
/// The interactive shell: RadLine does the line editing; this adds the prompt, persistent history, Tab
/// completion from the one parser, and the keys an operator expects: Ctrl-C cancels the running command (or the
/// line being typed), Ctrl-D on an empty line exits.
/// </summary>
internal sealed class ReplLoop(ShellSession session)
{
    public async Task<int> RunAsync()
    {
        session.Interactive = true;
        var input = new ReplInput();
        var editor = new LineEditor(Spectre.Console.AnsiConsole.Console, input)
        {
            Prompt = new LineEditorPrompt("[bold]nspawn-native>[/]"),
            Completion = new ShellCompletion(session),
        };
        editor.KeyBindings.Add<MoveHomeCommand>(ConsoleKey.A, ConsoleModifiers.Control);
        editor.KeyBindings.Add<MoveEndCommand>(ConsoleKey.E, ConsoleModifiers.Control);
        // Commands are single lines: the arrows walk the history, as in bash.
        editor.KeyBindings.Add<PreviousHistoryCommand>(ConsoleKey.UpArrow, (ConsoleModifiers?)null);
        editor.KeyBindings.Add<NextHistoryCommand>(ConsoleKey.DownArrow, (ConsoleModifiers?)null);

        var history = HistoryFile.Open(session.Log);
        foreach (var line in history.Load())
            editor.History.Add(line);

        Console.Out.WriteLine($"{ShellSession.VersionText}. Type 'help' for the verbs; Ctrl-D exits.");
        int lastStatus = ExitCodes.Success;
        while (true)
        {
            input.Reset();
            string? text;
            Console.TreatControlCAsInput = true;
            try
            {
                text = await editor.ReadLine(input.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                text = null;
            }
            finally
            {
                Console.TreatControlCAsInput = false;
            }

            if (input.EndOfInput)
            {
                Console.Out.WriteLine();
                return lastStatus;
            }
            if (input.Interrupted || text is null)
                continue;

            List<string> words;
            try
            {
                words = WordSplitter.Split(text);
            }
            catch (UsageException e)
            {
                session.Log.LogError("{Error}", e.Message);
                continue;
            }
            if (words.Count == 0)
                continue;
            editor.History.Add(text);
            history.Append(text);
            if (words is ["exit"] or ["quit"])
                return lastStatus;

            lastStatus = await RunCommandAsync(words).ConfigureAwait(false);
        }
    }

    private async Task<int> RunCommandAsync(List<string> words)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await session.ExecuteAsync(words, cts.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Reads keys for RadLine and turns Ctrl-C and Ctrl-D into a cancelled read with a reason.</summary>
    private sealed class ReplInput : IInputSource
    {
        private CancellationTokenSource _cts = new();

        public bool ByPassProcessing => false;

        public bool Interrupted { get; private set; }

        public bool EndOfInput { get; private set; }

        public CancellationToken Token => _cts.Token;

        public void Reset()
        {
            if (_cts.IsCancellationRequested)
            {
                _cts.Dispose();
                _cts = new CancellationTokenSource();
            }
            Interrupted = false;
            EndOfInput = false;
        }

        public bool IsKeyAvailable() => Console.KeyAvailable;

        public ConsoleKeyInfo ReadKey()
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is ConsoleKey.C or ConsoleKey.D)
            {
                if (key.Key == ConsoleKey.C)
                {
                    Interrupted = true;
                    Console.Out.Write("^C");
                }
                else
                {
                    EndOfInput = true;
                }
                _cts.Cancel();
                // A key RadLine ignores, so that it returns to look at the cancelled token.
                return new ConsoleKeyInfo('\0', ConsoleKey.F24, false, false, false);
            }
            return key;
        }
    }
}
