using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NspawnNative.Interop.Rdma;

/// <summary>
/// Discovers RDMA devices, their ports and GIDs, and the <c>/dev/infiniband</c> nodes, natively from sysfs and
/// statx: what ibstat, ibv_devinfo, <c>rdma link</c> and <c>ls -l /dev/infiniband</c> show separately.
/// </summary>
public static class RdmaDiscovery
{
    /// <summary>
    /// Reads everything below <see cref="HostPaths.SysfsRoot"/> and <see cref="HostPaths.DevRoot"/> (and
    /// <c>/proc/devices</c> below <see cref="HostPaths.Root"/> for DeviceAllow= class names). Odd input never
    /// throws: a file that cannot be read or parsed leaves its field null and adds a warning naming it, and the
    /// other devices are still listed. No devices at all is an empty snapshot, not an error.
    /// </summary>
    /// <param name="paths">The roots to read below; <see cref="HostPaths.Live"/> for this host.</param>
    /// <param name="logger">Receives a Debug line per warning; none by default.</param>
    /// <returns>The devices, the nodes and the warnings.</returns>
    // TODO (discovery): devices are read one after another; a host with many HCAs and full GID tables (16 x 2 x 256:
    // ~24,600 sysfs files, ~180 ms on a 2-core VM) would gain from reading devices in parallel.
    public static RdmaSnapshot Discover(HostPaths paths, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        logger ??= NullLogger.Instance;
        var files = new SysfsFiles();
        var sysfs = new RdmaSysfsReader(paths, files);

        var dirs = sysfs.DeviceDirectories();
        var classNodes = sysfs.ReadClassNodes(dirs);

        var procDevices = ProcDevices.Parse(files.Text(paths.UnderRoot("/proc/devices"), warnOnError: false));
        var nodes = new RdmaDevReader(paths, files, procDevices).ReadNodes(classNodes);

        var devices = new List<RdmaDevice>(dirs.Count);
        foreach (var (name, dir) in dirs)
        {
            var verbsClass = classNodes.FirstOrDefault(n => n.Kind == RdmaNodeKind.Verbs && n.IbDev == name);
            RdmaVerbsNode? verbs = null;
            if (verbsClass is not null)
            {
                var node = nodes.First(n => n.Name == verbsClass.Name);
                var dev = verbsClass.Major is null ? null : $"{verbsClass.Major}:{verbsClass.Minor}";
                verbs = new RdmaVerbsNode(verbsClass.Name, dev, verbsClass.AbiVersion, node.Path,
                    node.Status == RdmaNodeStatus.Present, node.Status);
            }
            devices.Add(sysfs.ReadDevice(name, dir, verbs));
        }
        devices.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

        foreach (var warning in files.Warnings)
            logger.LogDebug("{Warning}", warning);
        return new RdmaSnapshot(devices, classNodes, nodes, files.Warnings.ToList(), sysfs.ClassDirectory);
    }

    /// <summary>The names of the devices in <c>/sys/class/infiniband</c> without reading them, for completion.</summary>
    /// <param name="paths">The roots to read below.</param>
    /// <returns>The device names, sorted; none when the class directory is missing or unreadable.</returns>
    public static IReadOnlyList<string> DeviceNames(HostPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new SysfsFiles();
        return new RdmaSysfsReader(paths, files).DeviceDirectories().Select(d => d.Name).ToList();
    }
}
