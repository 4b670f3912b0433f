using Microsoft.Extensions.Logging;

namespace NspawnNative.Shell.Commands.Rdma;

/// <summary>The outcomes the workflow verbs log (the shell logs once, where it handles them).</summary>
internal static partial class WorkflowsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; the checks that need systemd are skipped")]
    public static partial void LogBusMissing(this ILogger logger, string reason);

}
