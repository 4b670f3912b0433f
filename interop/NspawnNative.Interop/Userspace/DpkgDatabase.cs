namespace NspawnNative.Interop.Userspace;

/// <summary>One installed package as the dpkg database records it.</summary>
/// <param name="Name">The package name, for example <c>ibverbs-providers</c>.</param>
/// <param name="Version">The full Debian version, for example <c>44.0-2</c>.</param>
/// <param name="Architecture">The architecture, for example <c>amd64</c>, or null when not recorded.</param>
public sealed record InstalledPackage(string Name, string Version, string? Architecture);

/// <summary>
/// Reads the dpkg database of a root directory as text (<c>var/lib/dpkg/status</c> and
/// <c>var/lib/dpkg/info/*.list</c>), without running dpkg.
/// </summary>
public sealed class DpkgDatabase
{
    private readonly string _root;
    private readonly Dictionary<string, InstalledPackage> _installed;

    private DpkgDatabase(string root, Dictionary<string, InstalledPackage> installed)
    {
        _root = root;
        _installed = installed;
    }

    /// <summary>The installed packages by name (the architecture qualifier dropped).</summary>
    public IReadOnlyDictionary<string, InstalledPackage> Installed => _installed;

    /// <summary>Opens the database under <paramref name="root"/>; null when the root has no dpkg status file.</summary>
    /// <param name="root">The root directory (<c>/</c> for the host).</param>
    public static DpkgDatabase? TryOpen(string root)
    {
        var text = RootedFile.TryReadText(root, "/var/lib/dpkg/status");
        return text is null ? null : new DpkgDatabase(root, ParseStatus(text));
    }

    /// <summary>Parses the text of a dpkg status file, keeping only packages whose state is "installed".</summary>
    /// <param name="text">The file's text: RFC 822 style stanzas separated by blank lines.</param>
    public static Dictionary<string, InstalledPackage> ParseStatus(string text)
    {
        var result = new Dictionary<string, InstalledPackage>(StringComparer.Ordinal);
        foreach (var stanza in text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null, version = null, arch = null, status = null;
            foreach (var line in stanza.Split('\n'))
            {
                if (line.StartsWith(' ') || line.StartsWith('\t'))
                    continue;
                int colon = line.IndexOf(':');
                if (colon <= 0)
                    continue;
                var value = line[(colon + 1)..].Trim();
                switch (line[..colon])
                {
                    case "Package": name = value; break;
                    case "Version": version = value; break;
                    case "Architecture": arch = value; break;
                    case "Status": status = value; break;
                }
            }
            // "install ok installed": the last word is the state; half-installed or config-files packages own nothing usable.
            if (name is null || version is null || status is null || !status.EndsWith(" installed", StringComparison.Ordinal))
                continue;
            result[name] = new InstalledPackage(name, version, arch);
        }
        return result;
    }

    /// <summary>
    /// Finds the packages that own <paramref name="paths"/> (absolute paths inside the root) by scanning the
    /// <c>info/*.list</c> files once. A path and its merged-/usr twin (<c>/lib/x</c>, <c>/usr/lib/x</c>) match alike.
    /// </summary>
    /// <param name="paths">The paths to look up.</param>
    /// <returns>The owning package per path found; paths no list names are left out.</returns>
    public IReadOnlyDictionary<string, InstalledPackage> FindOwners(IEnumerable<string> paths)
    {
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            wanted.TryAdd(path, path);
            wanted.TryAdd(UsrTwin(path), path);
        }
        var owners = new Dictionary<string, InstalledPackage>(StringComparer.Ordinal);
        var infoDir = RootedFile.Join(_root, "/var/lib/dpkg/info");
        if (wanted.Count == 0 || !Directory.Exists(infoDir))
            return owners;
        foreach (var list in Directory.EnumerateFiles(infoDir, "*.list"))
        {
            var package = Path.GetFileNameWithoutExtension(list);
            int colon = package.IndexOf(':');
            if (colon >= 0)
                package = package[..colon];
            if (!_installed.TryGetValue(package, out var installed))
                continue;
            foreach (var line in File.ReadLines(list))
            {
                if (wanted.TryGetValue(line, out var original))
                    owners.TryAdd(original, installed);
            }
        }
        return owners;
    }

    private static string UsrTwin(string path) =>
        path.StartsWith("/usr/", StringComparison.Ordinal) ? path[4..] : "/usr" + path;
}
