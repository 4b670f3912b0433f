namespace NspawnNative.Interop.Userspace;

/// <summary>One line of <c>/proc/PID/mountinfo</c>: where a filesystem is mounted and of which type.</summary>
/// <param name="MountPoint">The mount point, relative to the process's root, octal escapes decoded.</param>
/// <param name="FileSystemType">The filesystem type, for example <c>hugetlbfs</c>.</param>
/// <param name="Source">The mount source, for example <c>hugetlbfs</c> or <c>/dev/sda1</c>.</param>
/// <param name="SuperOptions">The per-superblock options, for example <c>rw,pagesize=2M</c>.</param>
public sealed record MountEntry(string MountPoint, string FileSystemType, string Source, string SuperOptions);

/// <summary>Parses <c>/proc/PID/mountinfo</c> text (proc(5)).</summary>
public static class MountInfo
{
    /// <summary>Parses mountinfo text; malformed lines are skipped.</summary>
    /// <param name="text">The file's text.</param>
    public static IReadOnlyList<MountEntry> Parse(string text)
    {
        var result = new List<MountEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            int dash = fields.Length > 6 ? Array.IndexOf(fields, "-", 6) : -1;
            if (dash < 0 || dash + 2 >= fields.Length)
                continue;
            result.Add(new MountEntry(Unescape(fields[4]), fields[dash + 1], Unescape(fields[dash + 2]),
                dash + 3 < fields.Length ? fields[dash + 3] : ""));
        }
        return result;
    }

    /// <summary>The last mount at <paramref name="mountPoint"/> (the one visible), or null.</summary>
    /// <param name="mounts">Parsed mountinfo.</param>
    /// <param name="mountPoint">A mount point such as <c>/dev/hugepages</c>.</param>
    public static MountEntry? Visible(IReadOnlyList<MountEntry> mounts, string mountPoint) =>
        mounts.LastOrDefault(m => m.MountPoint == mountPoint);

    // The kernel escapes space, tab, newline and backslash as \ooo.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
            return field;
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }
        return sb.ToString();
    }

    private static bool IsOctal(string s, int at) =>
        at + 3 <= s.Length && s[at] is >= '0' and <= '7' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
