namespace NspawnNative.Interop.Rdma;

/// <summary>
/// Reads small sysfs files and directories the forgiving way discovery needs: a missing file is simply absent; a
/// file that fails to read (EINVAL from rate without a cable, EACCES) or a dangling link adds a warning naming the
/// path, and the caller carries on with a null.
/// </summary>
internal sealed class SysfsFiles
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings => _warnings;

    public void Warn(string message) => _warnings.Add(message);

    /// <summary>The file's text with surrounding whitespace (final newline, stray blank lines) trimmed; null when the
    /// file is missing, empty, or unreadable (then with a warning).</summary>
    public string? Text(string path, bool warnOnError = true)
    {
        try
        {
            // sysfs attributes are at most a page; one read into a stack buffer skips FileStream's setup.
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            Span<byte> buffer = stackalloc byte[4096];
            int n = RandomAccess.Read(handle, buffer, 0);
            var text = System.Text.Encoding.UTF8.GetString(buffer[..n]).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (warnOnError)
                Warn($"Could not read '{path}': {e.Message.TrimEnd('.')}; the field is left empty.");
            return null;
        }
    }

    /// <summary>Reports text a parser did not recognise.</summary>
    public void Unparsed(string path, string text, string expected) =>
        Warn($"Could not parse '{path}': '{text}' is not {expected}; the field is left empty.");

    /// <summary>The names of the entries of a directory, sorted; none when it is missing or unreadable (with a
    /// warning for the latter).</summary>
    public IReadOnlyList<string> Entries(string directory)
    {
        try
        {
            if (!Directory.Exists(directory))
                return [];
            var names = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToList();
            names.Sort(StringComparer.Ordinal);
            return names;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warn($"Could not list '{directory}': {e.Message.TrimEnd('.')}; its entries are skipped.");
            return [];
        }
    }

    /// <summary>True when <paramref name="path"/> leads to a directory; a link that leads nowhere gets a warning.</summary>
    public bool IsDirectoryOrWarn(string path, string what)
    {
        if (Directory.Exists(path))
            return true;
        if (IsLink(path))
            Warn($"Skipping {what} '{path}': the link is dangling (its target does not exist).");
        return false;
    }

    /// <summary>The last component of a symlink's target text ("mlx5_core" for <c>../../bus/pci/drivers/mlx5_core</c>),
    /// or null when the path is not a link. The text is not resolved: sysfs links are relative to the real
    /// directory, which a textual resolution through another link would get wrong.</summary>
    public static string? LinkTargetName(string path)
    {
        try
        {
            var target = new FileInfo(path).LinkTarget;
            return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
