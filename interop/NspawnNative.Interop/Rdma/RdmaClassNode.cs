namespace NspawnNative.Interop.Rdma;

/// <summary>A character device as sysfs announces it (<c>/sys/class/infiniband_verbs/uverbsN</c>,
/// <c>/sys/class/infiniband_mad/umadN</c>, <c>/sys/class/misc/rdma_cm</c>).</summary>
/// <param name="Kind">The kind of node.</param>
/// <param name="Name">The node's name, which is also its name in <c>/dev/infiniband</c>: "uverbs0".</param>
/// <param name="IbDev">The RDMA device it belongs to (the <c>ibdev</c> file); null for rdma_cm.</param>
/// <param name="Port">The port for umad and issm nodes.</param>
/// <param name="Major">The major number from the <c>dev</c> file.</param>
/// <param name="Minor">The minor number from the <c>dev</c> file.</param>
/// <param name="AbiVersion">The <c>abi_version</c> file of a uverbs node.</param>
/// <param name="SysfsPath">The sysfs directory it was read from.</param>
public sealed record RdmaClassNode(
    RdmaNodeKind Kind, string Name, string? IbDev, int? Port, int? Major, int? Minor, int? AbiVersion, string SysfsPath)
{
    /// <summary>The path libibverbs and friends open: <c>/dev/infiniband/NAME</c> (before <c>--dev-root</c>).</summary>
    public string DevPath => "/dev/infiniband/" + Name;
}
