using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace NspawnNative.Shell.Output;

/// <summary>
/// Builds the shell's logger factory: under systemd (JOURNAL_STREAM set) the console logger with systemd's
/// format (journal priorities); on a terminal or a pipe a synchronous one-line-per-message logger on stderr,
/// so that an error is printed before the next prompt, never after it.
/// </summary>
internal static class ShellLogging
{
    public static ILoggerFactory Create(TextWriter stderr, bool verbose)
    {
        var level = verbose ? LogLevel.Debug : LogLevel.Information;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")) && ReferenceEquals(stderr, Console.Error))
        {
            return LoggerFactory.Create(b => b
                .SetMinimumLevel(level)
                .AddConsole(o =>
                {
                    o.FormatterName = ConsoleFormatterNames.Systemd;
                    o.LogToStandardErrorThreshold = LogLevel.Trace;
                }));
        }
        return LoggerFactory.Create(b => b.SetMinimumLevel(level).AddProvider(new LineLoggerProvider(stderr)));
    }

    private sealed class LineLoggerProvider(TextWriter writer) : ILoggerProvider
    {
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new LineLogger(writer, _gate);

        public void Dispose() { }
    }

    private sealed class LineLogger(TextWriter writer, Lock gate) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var prefix = logLevel switch
            {
                LogLevel.Critical or LogLevel.Error => "error: ",
                LogLevel.Warning => "warning: ",
                LogLevel.Debug or LogLevel.Trace => "debug: ",
                _ => "",
            };
            var text = formatter(state, exception);
            lock (gate)
            {
                writer.WriteLine(prefix + text);
                if (exception is not null)
                    writer.WriteLine(exception.ToString());
                writer.Flush();
            }
        }
    }
}
