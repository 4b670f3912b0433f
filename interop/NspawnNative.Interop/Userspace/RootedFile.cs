namespace NspawnNative.Interop.Userspace;

/// <summary>
/// File lookups inside another system's root directory (a container's tree, an offline image): an absolute
/// symlink there points into that root, not into ours, so links are followed by hand.
/// </summary>
internal static class RootedFile
{
    private const int MaxHops = 16;

    /// <summary>Joins <paramref name="root"/> and an absolute path as seen inside it.</summary>
    public static string Join(string root, string absolutePath) =>
        root.Length == 0 || root == "/" ? absolutePath : root.TrimEnd('/') + absolutePath;

    /// <summary>Follows symlinks within <paramref name="root"/>; returns the path as seen inside the root of the
    /// final target, or null when the chain is broken, loops, or ends on something that is not a regular file.</summary>
    public static string? ResolveFile(string root, string absolutePath)
    {
        var current = absolutePath;
        for (int hop = 0; hop < MaxHops; hop++)
        {
            var info = new FileInfo(Join(root, current));
            if (info.LinkTarget is { } target)
            {
                current = target.StartsWith('/') ? target : Normalize(Path.GetDirectoryName(current) + "/" + target);
                continue;
            }
            return info.Exists ? current : null;
        }
        return null;
    }

    /// <summary>Reads a text file inside the root, or null when it is absent or unreadable.</summary>
    public static string? TryReadText(string root, string absolutePath)
    {
        var resolved = ResolveFile(root, absolutePath);
        return resolved is null ? null : TextFile.TryRead(Join(root, resolved));
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
