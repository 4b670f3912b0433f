namespace NspawnNative.Interop.Rdma;

/// <summary>One RDMA device (<c>/sys/class/infiniband/DEV</c>). A field is null when its file is missing (hca_type
/// on some drivers) or could not be read or parsed (the snapshot's warnings then name the file).</summary>
/// <param name="Name">The device name, for example "mlx5_0" or "rxe0".</param>
/// <param name="NodeType">The node type name, for example "CA".</param>
/// <param name="NodeTypeId">The node type number, for example 1.</param>
/// <param name="NodeGuid">The node GUID as sysfs writes it, for example "0002:c903:00f9:bfa0".</param>
/// <param name="SysImageGuid">The system image GUID, in the same form.</param>
/// <param name="FwVer">The firmware version; empty on soft devices becomes null.</param>
/// <param name="HcaType">The HCA type, for example "MT4118".</param>
/// <param name="BoardId">The board ID.</param>
/// <param name="HwRev">The hardware revision.</param>
/// <param name="NodeDesc">The node description.</param>
/// <param name="Ports">The ports, by number.</param>
/// <param name="Verbs">The uverbs node sysfs maps to this device (by its <c>ibdev</c> file); null when there is none.</param>
/// <param name="PciAddress">The PCI address of the <c>device</c> link, for example "0000:3b:00.0"; null for soft
/// devices, which have no device link.</param>
/// <param name="NumaNode">The NUMA node of the PCI device; null when unknown (the kernel writes -1).</param>
/// <param name="Netdevs">The network interfaces of the PCI device (<c>device/net</c>), or the <c>parent</c> of a
/// soft device such as rxe.</param>
/// <param name="Driver">The kernel driver bound to the PCI device (the <c>device/driver</c> link), for example
/// "mlx5_core"; null for soft devices.</param>
/// <param name="Parent">The <c>parent</c> file of a soft device (rxe, siw): the netdev it runs on.</param>
/// <param name="SysfsPath">The sysfs directory it was read from (under the sysfs root).</param>
public sealed record RdmaDevice(
    string Name,
    string? NodeType,
    int? NodeTypeId,
    string? NodeGuid,
    string? SysImageGuid,
    string? FwVer,
    string? HcaType,
    string? BoardId,
    string? HwRev,
    string? NodeDesc,
    IReadOnlyList<RdmaPort> Ports,
    RdmaVerbsNode? Verbs,
    string? PciAddress,
    int? NumaNode,
    IReadOnlyList<string> Netdevs,
    string? Driver,
    string? Parent,
    string SysfsPath);
