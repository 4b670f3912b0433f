using System.Text.RegularExpressions;

namespace NspawnNative.Interop.Userspace;

/// <summary>
/// Reads which RDMA userspace a root directory has, from files only: it never runs dpkg, rpm, ofed_info or the
/// libraries it finds.
/// </summary>
public static partial class RdmaUserspaceReader
{
    /// <summary>The packages that make up a distribution's RDMA userspace (Debian and Fedora/SUSE names).</summary>
    public static IReadOnlyList<string> RdmaPackageNames { get; } =
        ["rdma-core", "libibverbs1", "ibverbs-providers", "librdmacm1", "libibumad3", "ibverbs-utils",
         "libibverbs", "libibverbs-utils", "librdmacm", "mlnx-ofed-kernel-utils"];

    private static readonly string[] FixedLibraryDirs = ["/usr/lib64", "/lib64", "/usr/lib", "/lib"];

    /// <summary>Reads the RDMA userspace under <paramref name="root"/>.</summary>
    /// <param name="root">A root directory: <c>/</c> (or <see cref="HostPaths.Root"/>) for the host, or a container's tree.</param>
    /// <exception cref="InvalidInputException">The root directory does not exist.</exception>
    public static RdmaUserspace Read(string root)
    {
        if (!Directory.Exists(root))
            throw new InvalidInputException($"Root directory '{root}' does not exist; give the machine's root directory.");

        var libDirs = LibraryDirectories(root);
        var dpkg = DpkgDatabase.TryOpen(root);
        var verbs = FindLibibverbs(root, libDirs);
        var providers = FindProviders(root, libDirs);

        var owners = dpkg?.FindOwners(providers.Select(p => p.Library).Append(verbs?.Path).OfType<string>())
            ?? new Dictionary<string, InstalledPackage>();
        if (verbs is not null && owners.TryGetValue(verbs.Path, out var verbsPackage))
            verbs = verbs with { Package = verbsPackage };
        providers = providers
            .Select(p => p.Library is not null && owners.TryGetValue(p.Library, out var o) ? p with { Package = o } : p)
            .ToList();

        var packages = dpkg is null ? [] : RdmaPackageNames.Where(dpkg.Installed.ContainsKey).Select(n => dpkg.Installed[n]).ToList();
        var rpm = FindRpmDatabase(root);
        // TODO (userspace): read the rpm database (rpmdb.sqlite or the older Berkeley DB 'Packages'); it needs a
        // SQLite/BDB reader this library does not carry, so on rpm systems packages are detected, not read.
        return new RdmaUserspace(root, verbs, providers, packages, ReadVendorStack(root), new PackageDatabases(dpkg is not null, rpm, false));
    }

    /// <summary>The library directories libibverbs and its providers live in: the multiarch directories
    /// (<c>/usr/lib/x86_64-linux-gnu</c>) first, then lib64 and lib, each present under the root.</summary>
    /// <param name="root">The root directory.</param>
    public static IReadOnlyList<string> LibraryDirectories(string root)
    {
        var dirs = new List<string>();
        foreach (var parent in new[] { "/usr/lib", "/lib" })
        {
            var here = RootedFile.Join(root, parent);
            if (!Directory.Exists(here))
                continue;
            foreach (var dir in Directory.EnumerateDirectories(here, "*-linux-*").Order(StringComparer.Ordinal))
                dirs.Add(parent + "/" + Path.GetFileName(dir));
        }
        dirs.AddRange(FixedLibraryDirs.Where(d => Directory.Exists(RootedFile.Join(root, d))));
        return dirs;
    }

    /// <summary>Parses a libibverbs real file name: <c>libibverbs.so.1.14.44.0</c> gives version 1.14.44.0 and
    /// rdma-core 44 (the third number; rdma-core numbers the library 1.ABI.RELEASE.PATCH).</summary>
    /// <param name="fileName">A file name.</param>
    /// <returns>The version and rdma-core release, or nulls when the name carries none.</returns>
    public static (string? Version, int? RdmaCoreMajor) ParseLibibverbsFileName(string fileName)
    {
        const string prefix = "libibverbs.so.";
        if (!fileName.StartsWith(prefix, StringComparison.Ordinal) || fileName.Length == prefix.Length)
            return (null, null);
        var version = fileName[prefix.Length..];
        var parts = version.Split('.');
        return (version, parts.Length >= 3 && int.TryParse(parts[2], out var major) ? major : null);
    }

    /// <summary>Parses a provider library file name: <c>librxe-rdmav34.so</c> gives ("rxe", 34).</summary>
    /// <param name="fileName">A file name.</param>
    /// <returns>The provider name and ABI, or null when the name is not a provider library's.</returns>
    public static (string Name, int Abi)? ParseProviderFileName(string fileName)
    {
        var m = ProviderFileName().Match(fileName);
        return m.Success ? (m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>Parses a <c>.driver</c> file of <c>/etc/libibverbs.d</c>: its <c>driver NAME</c> line.</summary>
    /// <param name="text">The file's text.</param>
    /// <returns>The provider name, or null when no such line is there.</returns>
    public static string? ParseDriverFile(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[0] == "driver")
                return Path.GetFileName(words[1]);
        }
        return null;
    }

    /// <summary>Reads the MLNX_OFED (or DOCA-OFED) version from the <c>ofed_info</c> script's text, which embeds it
    /// in the branch answering <c>-n</c>; the first line of its <c>-s</c> answer is the fallback.</summary>
    /// <param name="script">The script's text.</param>
    /// <returns>The version, or null.</returns>
    public static string? ParseOfedInfo(string script)
    {
        var n = OfedNumeric().Match(script);
        if (n.Success)
            return n.Groups[1].Value;
        var s = OfedShort().Match(script);
        return s.Success ? s.Groups[1].Value : null;
    }

    /// <summary>Finds the <c>IBVERBS_PRIVATE_NN</c> symbol version in a libibverbs binary's bytes.</summary>
    /// <param name="bytes">The library file's content.</param>
    /// <returns>NN, or null.</returns>
    public static int? FindPrivateAbi(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> marker = "IBVERBS_PRIVATE_"u8;
        int at = bytes.IndexOf(marker);
        if (at < 0)
            return null;
        int value = 0, digits = 0;
        for (int i = at + marker.Length; i < bytes.Length && bytes[i] >= (byte)'0' && bytes[i] <= (byte)'9' && digits < 6; i++, digits++)
            value = value * 10 + (bytes[i] - '0');
        return digits > 0 ? value : null;
    }

    private static LibibverbsInfo? FindLibibverbs(string root, IReadOnlyList<string> libDirs)
    {
        foreach (var dir in libDirs)
        {
            var real = RootedFile.ResolveFile(root, dir + "/libibverbs.so.1");
            if (real is null)
                continue;
            var (version, major) = ParseLibibverbsFileName(Path.GetFileName(real));
            int? abi = null;
            try
            {
                abi = FindPrivateAbi(File.ReadAllBytes(RootedFile.Join(root, real)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            return new LibibverbsInfo(real, version, major, abi, null);
        }
        return null;
    }

    private static List<ProviderInfo> FindProviders(string root, IReadOnlyList<string> libDirs)
    {
        var drivers = new Dictionary<string, string>(StringComparer.Ordinal);
        var confDir = RootedFile.Join(root, "/etc/libibverbs.d");
        if (Directory.Exists(confDir))
        {
            foreach (var file in Directory.EnumerateFiles(confDir, "*.driver").Order(StringComparer.Ordinal))
            {
                var inside = "/etc/libibverbs.d/" + Path.GetFileName(file);
                if (RootedFile.TryReadText(root, inside) is { } text && ParseDriverFile(text) is { } name)
                    drivers.TryAdd(name, inside);
            }
        }

        var libraries = new Dictionary<string, (string Path, int Abi)>(StringComparer.Ordinal);
        foreach (var dir in libDirs)
        {
            var here = RootedFile.Join(root, dir + "/libibverbs");
            if (!Directory.Exists(here))
                continue;
            foreach (var file in Directory.EnumerateFiles(here, "lib*-rdmav*.so").Order(StringComparer.Ordinal))
            {
                var inside = dir + "/libibverbs/" + Path.GetFileName(file);
                // A dangling link (the library it points to was removed) is no provider.
                if (ParseProviderFileName(Path.GetFileName(file)) is { } p && RootedFile.ResolveFile(root, inside) is not null)
                    libraries.TryAdd(p.Name, (inside, p.Abi));
            }
        }

        return drivers.Keys.Union(libraries.Keys).Order(StringComparer.Ordinal)
            .Select(name => new ProviderInfo(
                name,
                drivers.GetValueOrDefault(name),
                libraries.TryGetValue(name, out var lib) ? lib.Path : null,
                libraries.TryGetValue(name, out lib) ? lib.Abi : null,
                null))
            .ToList();
    }

    private static string? FindRpmDatabase(string root) =>
        new[] { "/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/Packages" }
            .FirstOrDefault(p => RootedFile.ResolveFile(root, p) is not null);

    private static VendorStack? ReadVendorStack(string root)
    {
        foreach (var path in new[] { "/usr/bin/ofed_info", "/usr/sbin/ofed_info" })
        {
            if (RootedFile.TryReadText(root, path) is { } text && ParseOfedInfo(text) is { } version)
                return new VendorStack("MLNX_OFED", version, path);
        }
        return null;
    }

    [GeneratedRegex(@"^lib(.+)-rdmav(\d+)\.so$")]
    private static partial Regex ProviderFileName();

    [GeneratedRegex(@"X-n""\s*\]\s*;\s*then\s+echo\s+([0-9][0-9A-Za-z.\-]*)")]
    private static partial Regex OfedNumeric();

    [GeneratedRegex(@"(?:MLNX|DOCA|OFED)[A-Za-z_\-]*?-([0-9][0-9.]*-[0-9A-Za-z.]+)")]
    private static partial Regex OfedShort();
}
