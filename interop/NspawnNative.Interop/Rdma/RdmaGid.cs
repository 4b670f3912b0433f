namespace NspawnNative.Interop.Rdma;

/// <summary>One used entry of a port's GID table (<c>ports/N/gids/I</c>).</summary>
/// <param name="Index">The table index.</param>
/// <param name="Gid">The GID as sysfs writes it: eight groups of four hex digits.</param>
/// <param name="Type">"IB/RoCE v1" or "RoCE v2" from <c>gid_attrs/types/I</c>; null when unreadable.</param>
/// <param name="Netdev">The network interface from <c>gid_attrs/ndevs/I</c>; null on InfiniBand ports.</param>
public sealed record RdmaGid(int Index, string Gid, string? Type, string? Netdev);
