namespace NspawnNative.Interop.Rdma;

/// <summary>The kinds of character device in <c>/dev/infiniband</c>.</summary>
public enum RdmaNodeKind
{
    /// <summary>uverbsN: the verbs interface libibverbs opens (class <c>infiniband_verbs</c>).</summary>
    Verbs,

    /// <summary>umadN: management datagrams for one port (class <c>infiniband_mad</c>).</summary>
    Umad,

    /// <summary>issmN: the "is subnet manager" flag for one port (class <c>infiniband_mad</c>).</summary>
    Issm,

    /// <summary>rdma_cm: the RDMA connection manager (a misc device).</summary>
    RdmaCm,

    /// <summary>Any other entry found in <c>/dev/infiniband</c>.</summary>
    Other,
}

/// <summary>How a node in /dev compares with what sysfs says it should be.</summary>
public enum RdmaNodeStatus
{
    /// <summary>The node exists, is a character device, and its major:minor matches sysfs.</summary>
    Present,

    /// <summary>sysfs announces the node but /dev has no such path: libibverbs skips the device silently.</summary>
    Missing,

    /// <summary>The path exists but is not a character device or has another major:minor than sysfs says.</summary>
    Mismatch,

    /// <summary>The node exists in /dev but sysfs announces nothing of that name.</summary>
    Unknown,
}
