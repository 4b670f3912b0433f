namespace NspawnNative.Interop.Systemd;

/// <summary>
/// Collects TransferRemoved and LogMessage signals from before a transfer's id is known (the match is added before
/// the start), then hands out the result of one transfer. Signals arrive on the connection's thread.
/// </summary>
internal sealed class TransferWatch
{
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, string> _results = [];
    private readonly Dictionary<uint, TaskCompletionSource<string>> _waiters = [];
    private readonly Dictionary<string, List<string>> _logs = new(StringComparer.Ordinal);
    private string? _ourPath;

    public void OnRemoved(TransferRemoved removed)
    {
        TaskCompletionSource<string>? waiter;
        lock (_gate)
        {
            _results[removed.Id] = removed.Result;
            _waiters.Remove(removed.Id, out waiter);
        }
        waiter?.TrySetResult(removed.Result);
    }

    public void OnLog(string path, string line, IProgress<string>? log)
    {
        bool ours;
        lock (_gate)
        {
            if (!_logs.TryGetValue(path, out var lines))
                _logs[path] = lines = [];
            lines.Add(line);
            ours = _ourPath == path;
        }
        if (ours)
            log?.Report(line);
    }

    /// <summary>Records our transfer's path, so that its later log lines are reported as they come.</summary>
    public void Started(TransferStarted started)
    {
        lock (_gate)
            _ourPath = started.ObjectPath;
    }

    public Task<string> Removal(uint id)
    {
        lock (_gate)
        {
            if (_results.TryGetValue(id, out var result))
                return Task.FromResult(result);
            var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters[id] = tcs;
            return tcs.Task;
        }
    }

    public IReadOnlyList<string> LogOf(string path)
    {
        lock (_gate)
            return _logs.TryGetValue(path, out var lines) ? [.. lines] : [];
    }
}
