namespace NspawnNative.Interop.Rdma;

/// <summary>One port of an RDMA device (<c>/sys/class/infiniband/DEV/ports/N</c>). A field is null when its file
/// is missing or could not be read or parsed; the snapshot's warnings name the file in the last two cases.</summary>
/// <param name="Port">The port number.</param>
/// <param name="State">The logical state name, for example "ACTIVE".</param>
/// <param name="StateId">The logical state number, for example 4.</param>
/// <param name="PhysState">The physical state name, for example "LinkUp".</param>
/// <param name="PhysStateId">The physical state number, for example 5.</param>
/// <param name="RateGbps">The rate in Gb/s, for example 100 or 2.5.</param>
/// <param name="RateText">The rate file as written, for example "100 Gb/sec (4X EDR)".</param>
/// <param name="Lid">The base LID.</param>
/// <param name="SmLid">The subnet manager's LID.</param>
/// <param name="Lmc">The LID mask count (<c>lid_mask_count</c>).</param>
/// <param name="CapMask">The capability mask.</param>
/// <param name="LinkLayer">"InfiniBand" or "Ethernet".</param>
/// <param name="PortGuid">The low 8 bytes of GID 0 as ibstat prints them ("0x0002c90300f9bfa1").</param>
/// <param name="Gids">The used GID entries: those whose interface ID (low 8 bytes) is not zero.</param>
/// <param name="Counters">The port counters; null when the port has no <c>counters</c> directory.</param>
public sealed record RdmaPort(
    int Port,
    string? State,
    int? StateId,
    string? PhysState,
    int? PhysStateId,
    double? RateGbps,
    string? RateText,
    int? Lid,
    int? SmLid,
    int? Lmc,
    uint? CapMask,
    string? LinkLayer,
    string? PortGuid,
    IReadOnlyList<RdmaGid> Gids,
    RdmaPortCounters? Counters);
