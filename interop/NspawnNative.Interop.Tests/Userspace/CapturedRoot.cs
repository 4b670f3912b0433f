namespace NspawnNative.Interop.Tests.Userspace;

/// <summary>A temporary directory tree written by a test: a captured container root, sysfs or procfs.</summary>
internal sealed class CapturedRoot : IDisposable
{
    public CapturedRoot() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Join(System.IO.Path.GetTempPath(), "nn-userspace-" + Guid.NewGuid().ToString("N"));

    public string Write(string absolutePath, string text = "")
    {
        var full = Path + absolutePath;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Link(string absolutePath, string target)
    {
        var full = Path + absolutePath;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
    }

    public void Delete(string absolutePath) => File.Delete(Path + absolutePath);

    /// <summary>A host tree with /proc/self/{mountinfo,limits} and a sysfs hugepages directory under /sys.</summary>
    public static CapturedRoot HugePagesHost(string mountinfo, string limits, long nr2M, long free2M)
    {
        var t = new CapturedRoot();
        t.Write("/proc/self/mountinfo", mountinfo);
        t.Write("/proc/self/limits", limits);
        foreach (var (size, nr, free, resv) in new[] { ("2048kB", nr2M, free2M, nr2M > 0 ? 2L : 0L), ("1048576kB", 0L, 0L, 0L) })
        {
            t.Write($"/sys/kernel/mm/hugepages/hugepages-{size}/nr_hugepages", $"{nr}\n");
            t.Write($"/sys/kernel/mm/hugepages/hugepages-{size}/free_hugepages", $"{free}\n");
            t.Write($"/sys/kernel/mm/hugepages/hugepages-{size}/resv_hugepages", $"{resv}\n");
            t.Write($"/sys/kernel/mm/hugepages/hugepages-{size}/surplus_hugepages", "0\n");
        }
        return t;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public const string Multiarch = "/usr/lib/x86_64-linux-gnu";

    /// <summary>A Debian root with rdma-core <paramref name="release"/>: libibverbs, the dpkg database and the
    /// given providers, as Debian's libibverbs1 and ibverbs-providers lay them out.</summary>
    public static CapturedRoot Debian(int release, int abi, params string[] providers)
    {
        var root = new CapturedRoot();
        var version = $"{release}.0-2";
        var real = $"{Multiarch}/libibverbs.so.1.14.{release}.0";
        // Enough of an ELF's dynamic string table for the symbol version to be found.
        root.Write(real, $"\u007fELF\0\0IBVERBS_1.1\0IBVERBS_PRIVATE_{abi}\0ibv_get_device_list\0");
        root.Link($"{Multiarch}/libibverbs.so.1", $"libibverbs.so.1.14.{release}.0");
        var providerList = new List<string>();
        foreach (var p in providers)
        {
            root.Write($"/etc/libibverbs.d/{p}.driver", $"driver {p}\n");
            root.Write($"{Multiarch}/libibverbs/lib{p}-rdmav{abi}.so", "\u007fELF");
            providerList.Add($"{Multiarch}/libibverbs/lib{p}-rdmav{abi}.so");
            providerList.Add($"/etc/libibverbs.d/{p}.driver");
        }
        root.Write("/var/lib/dpkg/status", $"""
            Package: libibverbs1
            Status: install ok installed
            Priority: optional
            Architecture: amd64
            Multi-Arch: same
            Source: rdma-core
            Version: {version}
            Description: Library for direct userspace use of RDMA (InfiniBand/iWARP)
             libibverbs is a library that allows userspace processes to use RDMA.

            Package: ibverbs-providers
            Status: install ok installed
            Architecture: amd64
            Source: rdma-core
            Version: {version}

            Package: rdma-core
            Status: deinstall ok config-files
            Architecture: amd64
            Version: {version}

            """);
        root.Write("/var/lib/dpkg/info/libibverbs1:amd64.list", $"/.\n/usr\n/usr/lib\n{Multiarch}\n{real}\n{Multiarch}/libibverbs.so.1\n");
        root.Write("/var/lib/dpkg/info/ibverbs-providers:amd64.list", string.Join('\n', providerList) + "\n");
        return root;
    }
}
