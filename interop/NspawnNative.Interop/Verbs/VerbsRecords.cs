using System.Net;

namespace NspawnNative.Interop.Verbs;

/// <summary>An RDMA device as libibverbs lists it.</summary>
/// <param name="Name">The device name, e.g. "rxe0" or "mlx5_0".</param>
/// <param name="NodeGuid">The node GUID in host order.</param>
public sealed record VerbsDeviceInfo(string Name, ulong NodeGuid);

/// <summary>The attributes of an open device (a subset of struct ibv_device_attr).</summary>
/// <param name="FirmwareVersion">fw_ver.</param>
/// <param name="NodeGuid">node_guid, host order.</param>
/// <param name="MaxMemoryRegionSize">max_mr_size in bytes.</param>
/// <param name="MaxQueuePairs">max_qp.</param>
/// <param name="MaxQueuePairWorkRequests">max_qp_wr.</param>
/// <param name="MaxCompletionQueueEntries">max_cqe.</param>
/// <param name="PhysicalPortCount">phys_port_cnt.</param>
public sealed record VerbsDeviceAttributes(string FirmwareVersion, ulong NodeGuid, ulong MaxMemoryRegionSize,
    int MaxQueuePairs, int MaxQueuePairWorkRequests, int MaxCompletionQueueEntries, int PhysicalPortCount);

/// <summary>The link layer of a port.</summary>
public enum VerbsLinkLayer
{
    /// <summary>Not reported (older providers); treated as InfiniBand.</summary>
    Unspecified = 0,
    /// <summary>InfiniBand: addressed by LID, GID optional.</summary>
    InfiniBand = 1,
    /// <summary>Ethernet (RoCE): LID is 0, a GID is required.</summary>
    Ethernet = 2,
}

/// <summary>The attributes of a port (a subset of struct ibv_port_attr).</summary>
/// <param name="Port">The port number (from 1).</param>
/// <param name="State">ibv_port_state: 4 is ACTIVE.</param>
/// <param name="MaxMtu">The largest MTU in bytes (256..4096).</param>
/// <param name="ActiveMtu">The active MTU in bytes.</param>
/// <param name="Lid">The local identifier (0 on Ethernet).</param>
/// <param name="GidTableLength">Entries in the GID table.</param>
/// <param name="LinkLayer">InfiniBand or Ethernet.</param>
public sealed record VerbsPortAttributes(int Port, int State, int MaxMtu, int ActiveMtu, int Lid, int GidTableLength,
    VerbsLinkLayer LinkLayer)
{
    /// <summary>True when the port state is IBV_PORT_ACTIVE.</summary>
    public bool IsActive => State == 4;
}

/// <summary>A GID table entry.</summary>
/// <param name="Index">The GID index.</param>
/// <param name="Address">The GID as an IPv6 address (RoCE v2 GIDs of IPv4 addresses are ::ffff:a.b.c.d).</param>
public sealed record VerbsGid(int Index, IPAddress Address)
{
    /// <summary>True when the entry is all zeros (unused).</summary>
    public bool IsEmpty => Address.Equals(IPAddress.IPv6Any);
}

/// <summary>Converts between enum ibv_mtu (1..5) and bytes.</summary>
public static class VerbsMtu
{
    /// <summary>The MTU in bytes for an enum ibv_mtu value, or 0 when unknown.</summary>
    /// <param name="value">IBV_MTU_256 (1) to IBV_MTU_4096 (5).</param>
    public static int ToBytes(int value) => value is >= 1 and <= 5 ? 128 << value : 0;

    /// <summary>The enum ibv_mtu value of an MTU in bytes, or 0 when <paramref name="bytes"/> is not 256, 512, 1024,
    /// 2048 or 4096.</summary>
    /// <param name="bytes">The MTU in bytes.</param>
    public static int FromBytes(int bytes) => bytes switch { 256 => 1, 512 => 2, 1024 => 3, 2048 => 4, 4096 => 5, _ => 0 };
}
