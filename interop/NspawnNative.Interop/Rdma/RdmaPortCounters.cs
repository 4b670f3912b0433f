namespace NspawnNative.Interop.Rdma;

/// <summary>A port's <c>counters/</c> directory, as read once.</summary>
/// <param name="Values">Every counter file that held a number, by file name.</param>
public sealed record RdmaPortCounters(IReadOnlyDictionary<string, ulong> Values)
{
    /// <summary>Bytes sent: <c>port_xmit_data</c> counts 4-byte words.</summary>
    public ulong? XmitBytes => Values.TryGetValue("port_xmit_data", out var v) ? v * 4 : null;

    /// <summary>Bytes received: <c>port_rcv_data</c> counts 4-byte words.</summary>
    public ulong? RcvBytes => Values.TryGetValue("port_rcv_data", out var v) ? v * 4 : null;

    /// <summary>Packets sent (<c>port_xmit_packets</c>).</summary>
    public ulong? XmitPackets => Values.TryGetValue("port_xmit_packets", out var v) ? v : null;

    /// <summary>Packets received (<c>port_rcv_packets</c>).</summary>
    public ulong? RcvPackets => Values.TryGetValue("port_rcv_packets", out var v) ? v : null;
}
