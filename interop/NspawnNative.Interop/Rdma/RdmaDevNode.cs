namespace NspawnNative.Interop.Rdma;

/// <summary>One node in <c>/dev/infiniband</c>, announced by sysfs or found there, compared with sysfs.</summary>
/// <param name="Path">The path as the container sees it, <c>/dev/infiniband/NAME</c> (not under <c>--dev-root</c>).</param>
/// <param name="Kind">The kind of node.</param>
/// <param name="Name">The node's name, for example "uverbs0".</param>
/// <param name="IbDev">The RDMA device it belongs to; null for rdma_cm and unknown nodes.</param>
/// <param name="Status">Present, missing, mismatch or unknown.</param>
/// <param name="Major">The major number found in /dev, or the expected one when the node is missing.</param>
/// <param name="Minor">The minor number found in /dev, or the expected one when the node is missing.</param>
/// <param name="ExpectedMajor">The major number sysfs announces; null for unknown nodes.</param>
/// <param name="ExpectedMinor">The minor number sysfs announces; null for unknown nodes.</param>
/// <param name="IsCharacterDevice">Whether the path is a character device; null when missing.</param>
/// <param name="Mode">The permission bits as four octal digits ("0666"); null when missing.</param>
/// <param name="Uid">The numeric owner; null when missing.</param>
/// <param name="Gid">The numeric group; null when missing.</param>
/// <param name="CanOpen">Whether this process could open it read-write (for issm nodes: whether the mode allows
/// it, since opening one has an effect); null when missing or not a character device.</param>
/// <param name="DeviceAllow">The DeviceAllow= entries a unit needs to use it.</param>
public sealed record RdmaDevNode(
    string Path,
    RdmaNodeKind Kind,
    string Name,
    string? IbDev,
    RdmaNodeStatus Status,
    int? Major,
    int? Minor,
    int? ExpectedMajor,
    int? ExpectedMinor,
    bool? IsCharacterDevice,
    string? Mode,
    uint? Uid,
    uint? Gid,
    bool? CanOpen,
    RdmaDeviceAllow DeviceAllow)
{
    /// <summary>True when the path exists in /dev (whatever it is).</summary>
    public bool Present => Status is RdmaNodeStatus.Present or RdmaNodeStatus.Mismatch or RdmaNodeStatus.Unknown;

    /// <summary>The owner's user name on this host (as <c>ls -l</c> shows it); null when missing or unnamed.</summary>
    public string? Owner => Uid is { } uid ? Posix.Accounts.UserName(uid) : null;

    /// <summary>The group's name on this host; null when missing or unnamed.</summary>
    public string? Group => Gid is { } gid ? Posix.Accounts.GroupName(gid) : null;
}
