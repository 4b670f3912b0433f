namespace NspawnNative.Interop.Userspace;

/// <summary>How the kernel driver of an HCA was found.</summary>
public enum DriverSource
{
    /// <summary>The node description a software driver gives its devices (<c>rxe</c>, <c>Software iWARP stack</c>).</summary>
    NodeDescription,

    /// <summary>The sysfs <c>device/driver</c> link.</summary>
    DeviceLink,

    /// <summary>The device name's prefix (software devices such as rxe and siw have no device link).</summary>
    NamePrefix,

    /// <summary>Not found.</summary>
    Unknown,
}

/// <summary>An RDMA device of the host with its kernel driver and the provider that driver needs.</summary>
/// <param name="Device">The device name, for example <c>mlx5_0</c> or <c>rxe0</c>.</param>
/// <param name="KernelDriver">The kernel driver, or null when unknown.</param>
/// <param name="Source">How <paramref name="KernelDriver"/> was found.</param>
/// <param name="Provider">The libibverbs provider it needs, or null when unknown.</param>
public sealed record HcaDriver(string Device, string? KernelDriver, DriverSource Source, string? Provider);

/// <summary>Reads each host HCA's kernel driver from sysfs (<c>/sys/class/infiniband</c>).</summary>
public static class HcaDrivers
{
    /// <summary>Lists the host's RDMA devices with their drivers and providers; empty when there are none.</summary>
    /// <param name="paths">The host's roots; only <see cref="HostPaths.SysfsRoot"/> is read.</param>
    public static IReadOnlyList<HcaDriver> Read(HostPaths paths)
    {
        var classDir = paths.UnderSysfs("/sys/class/infiniband");
        if (!Directory.Exists(classDir))
            return [];
        var result = new List<HcaDriver>();
        foreach (var dir in Directory.EnumerateFileSystemEntries(classDir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            // siw's device link points at the NIC below it, whose driver says nothing about RDMA, so the node
            // description software drivers set is asked first.
            var link = new FileInfo(Path.Join(dir, "device", "driver")).LinkTarget;
            var (driver, source) = ProviderTable.DriverFromNodeDescription(TextFile.TryRead(Path.Join(dir, "node_desc"))?.Trim()) is { } soft
                ? (soft, DriverSource.NodeDescription)
                : link is not null
                    ? (Path.GetFileName(link.TrimEnd('/')), DriverSource.DeviceLink)
                    : ProviderTable.DriverFromName(name) is { } guessed ? (guessed, DriverSource.NamePrefix) : ((string?)null, DriverSource.Unknown);
            // TODO (userspace): node_desc is writable; a software device whose description was changed falls back to
            // its name, which 'rdma link add NAME' chooses freely. Netlink (RDMA_NLDEV_CMD_GET) names the driver.
            result.Add(new HcaDriver(name, driver, source, driver is null ? null : ProviderTable.ProviderFor(driver)));
        }
        return result;
    }
}
