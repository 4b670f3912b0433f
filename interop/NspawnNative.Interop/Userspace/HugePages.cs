using System.Globalization;

namespace NspawnNative.Interop.Userspace;

/// <summary>The pool of one hugepage size (<c>/sys/kernel/mm/hugepages/hugepages-SIZEkB</c>).</summary>
/// <param name="SizeKb">The page size in KiB, for example 2048.</param>
/// <param name="Total">nr_hugepages: pages reserved in the pool.</param>
/// <param name="Free">free_hugepages: pages not yet handed out.</param>
/// <param name="Reserved">resv_hugepages: pages promised to mappings but not yet faulted in.</param>
/// <param name="Surplus">surplus_hugepages: pages allocated above the pool by overcommit.</param>
public sealed record HugePagePool(long SizeKb, long Total, long Free, long Reserved, long Surplus)
{
    /// <summary>The pool's size in bytes (<see cref="Total"/> pages).</summary>
    public long TotalBytes => Total * SizeKb * 1024;
}

/// <summary>The host's hugepages as an RDMA container sees them.</summary>
/// <param name="Mount">The hugetlbfs mount at <c>/dev/hugepages</c>, or null when that path is not hugetlbfs.</param>
/// <param name="Pools">One pool per page size, smallest first.</param>
/// <param name="MemlockSoftBytes">The soft RLIMIT_MEMLOCK of the process read, null for unlimited or when unread.</param>
/// <param name="MemlockUnlimited">True when the soft memlock limit is unlimited.</param>
public sealed record HugePageState(MountEntry? Mount, IReadOnlyList<HugePagePool> Pools, long? MemlockSoftBytes, bool MemlockUnlimited)
{
    /// <summary>Bytes reserved over all pools.</summary>
    public long TotalBytes => Pools.Sum(p => p.TotalBytes);

    /// <summary>True when registering every reserved page with RDMA stays within the memlock limit.</summary>
    public bool MemlockCoversPools => MemlockUnlimited || MemlockSoftBytes is { } soft && soft >= TotalBytes;
}

/// <summary>Reads hugepage pools from sysfs, the <c>/dev/hugepages</c> mount from mountinfo and the memlock limit
/// from <c>/proc/PID/limits</c>.</summary>
public static class HugePages
{
    /// <summary>The mount point systemd gives hugetlbfs and that nspawn's <c>Bind=</c> forwards.</summary>
    public const string MountPoint = "/dev/hugepages";

    /// <summary>True when <c>/dev/hugepages</c> is a hugetlbfs mount on the host (read from
    /// <c>/proc/self/mountinfo</c> under <see cref="HostPaths.Root"/>, so a captured tree works).</summary>
    /// <param name="paths">The host's roots.</param>
    public static bool IsHugetlbfsMount(HostPaths paths) => FindMount(paths, "self") is not null;

    /// <summary>The hugetlbfs mount at <c>/dev/hugepages</c> seen by a process, or null.</summary>
    /// <param name="paths">The host's roots.</param>
    /// <param name="pid">A process id, or <c>self</c>.</param>
    public static MountEntry? FindMount(HostPaths paths, string pid)
    {
        var text = TextFile.TryRead(paths.UnderRoot($"/proc/{pid}/mountinfo"));
        return text is not null && MountInfo.Visible(MountInfo.Parse(text), MountPoint) is { FileSystemType: "hugetlbfs" } m ? m : null;
    }

    /// <summary>Reads the pools, the mount and the memlock limit of <paramref name="pid"/>.</summary>
    /// <param name="paths">The host's roots.</param>
    /// <param name="pid">The process whose mounts and limit count, or <c>self</c>.</param>
    public static HugePageState Read(HostPaths paths, string pid = "self")
    {
        var (soft, unlimited) = ParseMemlock(TextFile.TryRead(paths.UnderRoot($"/proc/{pid}/limits")) ?? "");
        return new HugePageState(FindMount(paths, pid), ReadPools(paths), soft, unlimited);
    }

    /// <summary>Reads every pool under <c>/sys/kernel/mm/hugepages</c>; empty when the kernel has none.</summary>
    /// <param name="paths">The host's roots; only <see cref="HostPaths.SysfsRoot"/> is read.</param>
    public static IReadOnlyList<HugePagePool> ReadPools(HostPaths paths)
    {
        var dir = paths.UnderSysfs("/sys/kernel/mm/hugepages");
        if (!Directory.Exists(dir))
            return [];
        var pools = new List<HugePagePool>();
        foreach (var sub in Directory.EnumerateDirectories(dir, "hugepages-*kB"))
        {
            var name = Path.GetFileName(sub);
            if (!long.TryParse(name["hugepages-".Length..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                continue;
            long Count(string file) =>
                long.TryParse(TextFile.TryRead(Path.Join(sub, file))?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
            pools.Add(new HugePagePool(size, Count("nr_hugepages"), Count("free_hugepages"), Count("resv_hugepages"), Count("surplus_hugepages")));
        }
        pools.Sort((a, b) => a.SizeKb.CompareTo(b.SizeKb));
        return pools;
    }

    /// <summary>Reads the soft "Max locked memory" limit from <c>/proc/PID/limits</c> text.</summary>
    /// <param name="limitsText">The file's text.</param>
    /// <returns>The soft limit in bytes (null when unlimited or absent) and whether it is unlimited.</returns>
    public static (long? SoftBytes, bool Unlimited) ParseMemlock(string limitsText)
    {
        foreach (var line in limitsText.Split('\n'))
        {
            if (!line.StartsWith("Max locked memory", StringComparison.Ordinal))
                continue;
            var words = line["Max locked memory".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
                break;
            if (words[0] == "unlimited")
                return (null, true);
            return long.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? (v, false) : (null, false);
        }
        return (null, false);
    }
}
