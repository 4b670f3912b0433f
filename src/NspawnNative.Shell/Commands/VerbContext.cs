using System.CommandLine;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop;
using NspawnNative.Shell.Output;

namespace NspawnNative.Shell.Commands;

/// <summary>What a verb's handler gets: its parsed arguments, the resolved global settings, where to print, and
/// the logger. Handlers print results to <see cref="Out"/> and throw on failure; the shell reports the failure
/// once, with the exit status.</summary>
internal sealed class VerbContext(ParseResult parse, ShellSettings settings, ShellOutput output, ILoggerFactory loggers, ShellSession session)
{
    public ParseResult Parse { get; } = parse;

    public ShellSettings Settings { get; } = settings;

    public ShellOutput Out { get; } = output;

    public ILoggerFactory Loggers { get; } = loggers;

    /// <summary>The logger for outcomes the shell handles: Information for what changed on the system, Warning
    /// for a tolerated failure.</summary>
    public ILogger Log { get; } = loggers.CreateLogger("nspawn-native");

    public ShellSession Session { get; } = session;

    public HostPaths Paths => Settings.Paths;

    public bool Json => Settings.Json;

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>True when the user gave the option on this line (not just its default).</summary>
    public bool Has(Option option) => Parse.GetResult(option) is not null;
}
