namespace NspawnNative.Interop.Verbs;

/// <summary>What a direct look at a device's uverbs node found.</summary>
/// <param name="Node">The node's path as seen on the target (e.g. /dev/infiniband/uverbs0), or null when sysfs does
/// not name it.</param>
/// <param name="NodeExists">True when the node exists under the /dev root.</param>
/// <param name="OpenErrno">The errno of opening it read-write ourselves (0 when it opened).</param>
internal sealed record UverbsProbe(string? Node, bool NodeExists, int OpenErrno);

/// <summary>Finds a device's uverbs node through sysfs and tries to open it, to explain a failed ibv_open_device.</summary>
internal static class UverbsNode
{
    private const int EPERM = 1, ENOENT = 2;

    public static UverbsProbe Probe(HostPaths paths, string device)
    {
        string? node = null;
        try
        {
            var classDir = paths.UnderSysfs("/sys/class/infiniband_verbs");
            foreach (var dir in Directory.EnumerateDirectories(classDir, "uverbs*"))
            {
                var ibdev = Path.Combine(dir, "ibdev");
                if (File.Exists(ibdev) && File.ReadAllText(ibdev).Trim() == device)
                {
                    node = "/dev/infiniband/" + Path.GetFileName(dir);
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new UverbsProbe(null, false, 0);
        }
        if (node is null)
            return new UverbsProbe(null, false, 0);

        var local = paths.UnderDev(node);
        if (!File.Exists(local))
            return new UverbsProbe(node, false, ENOENT);
        try
        {
            using var handle = File.OpenHandle(local, FileMode.Open, FileAccess.ReadWrite);
            return new UverbsProbe(node, true, 0);
        }
        catch (UnauthorizedAccessException)
        {
            // .NET maps both EACCES and EPERM to this exception; the device cgroup gives EPERM.
            return new UverbsProbe(node, true, EPERM);
        }
        catch (IOException)
        {
            return new UverbsProbe(node, true, 0);
        }
    }

}
