using Microsoft.Extensions.Logging;

namespace NspawnNative.Shell.Repl;

/// <summary>The REPL's persistent history: <c>$XDG_STATE_HOME/nspawn-native/history</c>, by default
/// <c>~/.local/state/nspawn-native/history</c>, one command a line, the newest last.</summary>
internal sealed class HistoryFile
{
    public const int MaxEntries = 1000;

    private readonly ILogger _log;

    private HistoryFile(string path, ILogger log)
    {
        Path = path;
        _log = log;
    }

    public string Path { get; }

    public static string DefaultPath()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(state) || !state.StartsWith('/'))
            state = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return System.IO.Path.Combine(state, "nspawn-native", "history");
    }

    public static HistoryFile Open(ILogger log, string? path = null) => new(path ?? DefaultPath(), log);

    public IReadOnlyList<string> Load()
    {
        try
        {
            if (!File.Exists(Path))
                return [];
            var lines = File.ReadAllLines(Path).Where(l => l.Length > 0).ToList();
            return lines.Count > MaxEntries ? lines[^MaxEntries..] : lines;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("Cannot read history '{Path}': {Reason}, ignoring.", Path, e.Message);
            return [];
        }
    }

    public void Append(string line)
    {
        if (line.Contains('\n'))
            return;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            // Typed commands can carry paths and names an operator would not share: the file is private (0600).
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(Path, options);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("Cannot write history '{Path}': {Reason}, ignoring.", Path, e.Message);
        }
    }
}
