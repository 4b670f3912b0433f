namespace NspawnNative.Interop.Rdma;

/// <summary>A device's uverbs node: what sysfs announces and whether /dev has it.</summary>
/// <param name="Name">The node name, for example "uverbs0".</param>
/// <param name="Dev">The major:minor sysfs announces, for example "231:192"; null when unreadable.</param>
/// <param name="AbiVersion">The uverbs ABI version; null when unreadable.</param>
/// <param name="NodePath">The path libibverbs opens: <c>/dev/infiniband/NAME</c>.</param>
/// <param name="NodePresent">True when the node exists in /dev as the right character device.</param>
/// <param name="NodeStatus">Present, missing or mismatch.</param>
public sealed record RdmaVerbsNode(string Name, string? Dev, int? AbiVersion, string NodePath, bool NodePresent, RdmaNodeStatus NodeStatus);
