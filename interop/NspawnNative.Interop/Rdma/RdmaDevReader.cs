using NspawnNative.Interop.Posix;

namespace NspawnNative.Interop.Rdma;

/// <summary>Compares the nodes in <c>/dev/infiniband</c> (below <see cref="HostPaths.DevRoot"/>) with sysfs.</summary>
internal sealed class RdmaDevReader(HostPaths paths, SysfsFiles files, ProcDevices procDevices)
{
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    public List<RdmaDevNode> ReadNodes(IReadOnlyList<RdmaClassNode> announced)
    {
        var nodes = new List<RdmaDevNode>();
        foreach (var c in announced)
            nodes.Add(Examine(c.DevPath, c.Kind, c.Name, c.IbDev, c.Major, c.Minor, known: true));

        var dir = paths.UnderDev("/dev/infiniband");
        foreach (var name in files.Entries(dir))
        {
            // udev's by-ibdev/ and by-path/ hold links to the nodes, not nodes.
            if (announced.Any(c => c.Name == name) || Directory.Exists(Path.Combine(dir, name)))
                continue;
            nodes.Add(Examine("/dev/infiniband/" + name, RdmaSysfsReader.KindOf(name), name, null, null, null, known: false));
        }
        nodes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return nodes;
    }

    private RdmaDevNode Examine(string devPath, RdmaNodeKind kind, string name, string? ibdev, int? major, int? minor, bool known)
    {
        var local = paths.UnderDev(devPath);
        FileStatus.TryGet(local, out var st, out int errno);
        if (st is null && errno is not (ENOENT or ENOTDIR))
            files.Warn($"Could not examine '{local}': errno {errno}; it is reported as missing.");

        RdmaNodeStatus status;
        if (st is null)
            status = RdmaNodeStatus.Missing;
        else if (!known)
            status = RdmaNodeStatus.Unknown;
        else if (!st.IsCharacterDevice || (major is not null && (st.RdevMajor != major || st.RdevMinor != minor)))
            status = RdmaNodeStatus.Mismatch;
        else
            status = RdmaNodeStatus.Present;

        bool? canOpen = null;
        if (st is { IsCharacterDevice: true })
        {
            // Opening issmN tells the subnet manager this port runs one: check the mode instead.
            canOpen = kind == RdmaNodeKind.Issm
                ? DeviceAccess.HasReadWritePermission(local, out _)
                : DeviceAccess.TryOpenReadWrite(local, out _);
        }

        int? actualMajor = st is { IsCharacterDevice: true } ? (int)st.RdevMajor : null;
        int? actualMinor = st is { IsCharacterDevice: true } ? (int)st.RdevMinor : null;
        var (className, fromProc) = procDevices.ClassName(kind, actualMajor ?? major);
        var allow = new RdmaDeviceAllow($"{devPath} rwm", $"char-{className} rwm", fromProc);

        return new RdmaDevNode(
            devPath, kind, name, ibdev, status,
            actualMajor ?? major, actualMinor ?? minor, major, minor,
            st?.IsCharacterDevice, st?.PermissionsOctal, st?.Uid, st?.Gid, canOpen, allow);
    }
}
