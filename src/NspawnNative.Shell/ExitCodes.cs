namespace NspawnNative.Shell;

/// <summary>The shell's exit statuses, the same in one-shot, script and REPL modes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    public const string HelpText =
        "Exit status: 0 success, 1 the command failed, 2 usage error, 130 interrupted (Ctrl-C).";
}

/// <summary>Thrown by a verb when its arguments are wrong in a way the parser cannot see; exits with 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Thrown by a verb that has already reported its outcome and only needs to set the exit status.</summary>
internal sealed class CommandFailedException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
