namespace NspawnNative.Interop.Userspace;

/// <summary>Reads of small files where absence is a finding, not an error (sysfs attributes, procfs, configs).</summary>
internal static class TextFile
{
    /// <summary>The file's text, or null when it is absent or unreadable.</summary>
    public static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
