namespace NspawnNative.Interop.Systemd;

/// <summary>The fields of a machine's os-release that <c>machinectl list</c> and <c>status</c> show.</summary>
/// <param name="Id">ID, for example "debian".</param>
/// <param name="VersionId">VERSION_ID, for example "12", or null.</param>
/// <param name="PrettyName">PRETTY_NAME, or null.</param>
public sealed record OsRelease(string? Id, string? VersionId, string? PrettyName)
{
    /// <summary>
    /// Reads the os-release of a running machine through its leader's root, <c>/proc/LEADER/root</c> (under
    /// <paramref name="paths"/>' root): <c>/etc/os-release</c>, else <c>/usr/lib/os-release</c>. An absolute symlink
    /// inside the machine would resolve on the host, so only what opens here is trusted.
    /// </summary>
    /// <param name="paths">Where /proc is read.</param>
    /// <param name="leader">The leader's PID; 0 gives null.</param>
    /// <returns>The fields, or null when neither file can be read.</returns>
    public static OsRelease? ReadForLeader(HostPaths paths, uint leader)
    {
        if (leader == 0)
            return null;
        foreach (var file in new[] { "/etc/os-release", "/usr/lib/os-release" })
        {
            try
            {
                return Parse(File.ReadAllText(paths.UnderRoot($"/proc/{leader}/root{file}")));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Try the next file; a machine without os-release shows '-'.
            }
        }
        return null;
    }

    /// <summary>Parses os-release text (KEY=value lines, values optionally quoted).</summary>
    /// <param name="text">The file's text.</param>
    public static OsRelease Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            int eq = line.IndexOf('=');
            if (line.Length == 0 || line[0] == '#' || eq <= 0)
                continue;
            var value = line[(eq + 1)..];
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            fields[line[..eq]] = value;
        }
        return new OsRelease(fields.GetValueOrDefault("ID"), fields.GetValueOrDefault("VERSION_ID"), fields.GetValueOrDefault("PRETTY_NAME"));
    }
}
