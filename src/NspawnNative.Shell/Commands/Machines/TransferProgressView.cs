namespace NspawnNative.Shell.Commands.Machines;

/// <summary>
/// Shows a running transfer on stderr: on a terminal a bar redrawn in place, otherwise one line per 10 percent, so
/// that logs stay readable. The worker's own log lines are shown too. Reports arrive on the bus thread; a lock keeps
/// the lines whole.
/// </summary>
internal sealed class TransferProgressView(TextWriter writer, bool terminal, string label) : IProgress<double>, IProgress<string>, IDisposable
{
    private const int Width = 30;
    private readonly Lock _gate = new();
    private int _lastDecile = -1;
    private bool _barShown;

    void IProgress<double>.Report(double value)
    {
        int percent = (int)Math.Clamp(Math.Floor(value * 100), 0, 100);
        lock (_gate)
        {
            if (terminal)
            {
                int filled = percent * Width / 100;
                writer.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}%");
                writer.Flush();
                _barShown = true;
                return;
            }
            int decile = percent / 10;
            if (decile == _lastDecile)
                return;
            _lastDecile = decile;
            writer.WriteLine($"{label}: {decile * 10}%");
            writer.Flush();
        }
    }

    void IProgress<string>.Report(string line)
    {
        lock (_gate)
        {
            EndBar();
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
            EndBar();
    }

    private void EndBar()
    {
        if (!_barShown)
            return;
        writer.WriteLine();
        _barShown = false;
    }
}
