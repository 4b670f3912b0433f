namespace NspawnNative.Interop.Rdma;

/// <summary>What discovery found at one moment: devices, /dev nodes, and what it could not read.</summary>
/// <param name="Devices">The RDMA devices, sorted by name.</param>
/// <param name="ClassNodes">The character devices sysfs announces (uverbs, umad, issm, rdma_cm).</param>
/// <param name="Nodes">The nodes in /dev/infiniband compared with sysfs, sorted by path.</param>
/// <param name="Warnings">One sentence per file that could not be read or parsed; the rest was still read.</param>
/// <param name="ClassDirectory">The class directory read (under the sysfs root), for messages such as "no RDMA
/// devices found under '/sys/class/infiniband'".</param>
public sealed record RdmaSnapshot(
    IReadOnlyList<RdmaDevice> Devices,
    IReadOnlyList<RdmaClassNode> ClassNodes,
    IReadOnlyList<RdmaDevNode> Nodes,
    IReadOnlyList<string> Warnings,
    string ClassDirectory)
{
    /// <summary>The device of that name, or null.</summary>
    /// <param name="name">A device name such as "mlx5_0".</param>
    /// <returns>The device, or null when discovery found none of that name.</returns>
    public RdmaDevice? Find(string name) => Devices.FirstOrDefault(d => d.Name == name);
}
