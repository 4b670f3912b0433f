using System.Text.Json.Serialization;
using NspawnNative.Interop.Posix;
using NspawnNative.Interop.SelfTest;

namespace NspawnNative.Shell.Commands.SelfTest;

internal sealed record PingPongAddressJson(int Lid, int Qpn, int Psn, string Gid)
{
    public static PingPongAddressJson From(PingPongDestination d) => new(d.Lid, d.Qpn, d.Psn, d.GidText);
}

internal sealed record SelfTestJson(string Role, string? Device, int IbPort, int Size, int Mtu, int RxDepth, PingPongAddressJson Local,
    PingPongAddressJson Remote, long Bytes, double Seconds, double MbitPerSec, int Iters, double UsecPerIter, double LatencyP50Usec,
    double LatencyP99Usec, double LatencyMaxUsec, long LoopAllocatedBytes)
{
    public static SelfTestJson From(string role, PingPongOptions o, PingPongResult r) => new(role, o.Device, o.IbPort, o.Size, o.Mtu,
        o.RxDepth, PingPongAddressJson.From(r.Local), PingPongAddressJson.From(r.Remote), r.Bytes, r.Seconds, r.MbitPerSecond,
        r.Iterations, r.MicrosecondsPerIteration, r.LatencyP50Microseconds, r.LatencyP99Microseconds, r.LatencyMaxMicroseconds, r.LoopAllocatedBytes);
}

/// <summary>One resource limit; null soft/hard means unlimited (RLIM_INFINITY).</summary>
internal sealed record LimitJson(string Resource, string Name, ulong? Soft, ulong? Hard, string Units)
{
    public static LimitJson From(ResourceKind kind, ResourceLimit l) => new(kind.ToString().ToLowerInvariant(), ResourceLimits.CName(kind),
        l.SoftIsInfinite ? null : l.Soft, l.HardIsInfinite ? null : l.Hard, ResourceLimits.IsBytes(kind) ? "bytes" : "");
}

internal sealed record LimitsJson(int Pid, IReadOnlyList<LimitJson> Limits);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SelfTestJson))]
[JsonSerializable(typeof(LimitsJson))]
[JsonSerializable(typeof(LimitJson))]
internal sealed partial class SelfTestJsonContext : JsonSerializerContext;
