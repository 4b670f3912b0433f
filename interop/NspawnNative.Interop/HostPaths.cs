namespace NspawnNative.Interop;

/// <summary>
/// The three roots every path the library touches goes through: the filesystem root for configuration
/// files (<c>/</c>, or an offline image), the sysfs root and the /dev root (<c>/sys</c> and <c>/dev</c>, or a
/// tree captured on another host). One value serves the live host, an offline image and a captured tree.
/// </summary>
/// <param name="Root">The filesystem root for configuration files; <c>/</c> on the live host.</param>
/// <param name="SysfsRoot">Where sysfs is mounted; <c>/sys</c> on the live host.</param>
/// <param name="DevRoot">Where device nodes live; <c>/dev</c> on the live host.</param>
public sealed record HostPaths(string Root, string SysfsRoot, string DevRoot)
{
    /// <summary>The live host: <c>/</c>, <c>/sys</c> and <c>/dev</c>.</summary>
    public static HostPaths Live { get; } = new("/", "/sys", "/dev");

    /// <summary>True when configuration paths resolve on the live host rather than under another root.</summary>
    public bool IsLiveRoot => Root == "/";

    /// <summary>
    /// Maps an absolute path as seen on the target system (for example <c>/etc/systemd/nspawn/a.nspawn</c>) to
    /// the path to open here, under <see cref="Root"/>.
    /// </summary>
    /// <param name="absolutePath">An absolute path on the target system.</param>
    /// <returns>The path under <see cref="Root"/>.</returns>
    /// <exception cref="InvalidInputException">The path is not absolute or climbs out of the root with "..".</exception>
    public string UnderRoot(string absolutePath) => Combine(Root, absolutePath);

    /// <summary>Maps a path below <c>/sys</c> (for example <c>/sys/class/infiniband</c>) to the sysfs root.</summary>
    /// <param name="sysPath">A path that starts with <c>/sys</c>.</param>
    /// <returns>The path under <see cref="SysfsRoot"/>.</returns>
    public string UnderSysfs(string sysPath) => Combine(SysfsRoot, StripPrefix(sysPath, "/sys"));

    /// <summary>Maps a path below <c>/dev</c> (for example <c>/dev/infiniband/uverbs0</c>) to the /dev root.</summary>
    /// <param name="devPath">A path that starts with <c>/dev</c>.</param>
    /// <returns>The path under <see cref="DevRoot"/>.</returns>
    public string UnderDev(string devPath) => Combine(DevRoot, StripPrefix(devPath, "/dev"));

    private static string StripPrefix(string path, string prefix) =>
        path == prefix ? "/" : path.StartsWith(prefix + "/", StringComparison.Ordinal) ? path[prefix.Length..] : path;

    private static string Combine(string root, string absolutePath)
    {
        if (!absolutePath.StartsWith('/'))
            throw new InvalidInputException($"Path '{absolutePath}' is not absolute; give a path that starts with '/'.");
        foreach (var part in absolutePath.Split('/'))
        {
            if (part == "..")
                throw new InvalidInputException($"Path '{absolutePath}' contains '..'; give a path without it.");
        }
        if (root == "/" || root.Length == 0)
            return absolutePath;
        return root.TrimEnd('/') + absolutePath;
    }
}
