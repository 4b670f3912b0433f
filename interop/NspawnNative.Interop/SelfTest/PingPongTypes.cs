namespace NspawnNative.Interop.SelfTest;

/// <summary>The settings of an RC ping-pong run; the defaults are ibv_rc_pingpong's.</summary>
/// <param name="Port">The TCP port of the address exchange.</param>
/// <param name="Device">The RDMA device; null for the first one.</param>
/// <param name="IbPort">The device port, from 1.</param>
/// <param name="GidIndex">The GID index to use; null for none (InfiniBand without GRH).</param>
/// <param name="AutoGid">Pick the GID: a RoCE v2 entry on Ethernet ports, none on InfiniBand (overrides GidIndex).</param>
/// <param name="Size">Bytes per message.</param>
/// <param name="Iterations">Messages each way.</param>
/// <param name="Mtu">Path MTU in bytes (256, 512, 1024, 2048, 4096).</param>
/// <param name="RxDepth">Receive work requests kept posted.</param>
/// <param name="ExchangeTimeout">Time allowed for each step of the TCP exchange (connect, accept, read, write).</param>
public sealed record PingPongOptions(int Port = PingPongOptions.DefaultPort, string? Device = null, int IbPort = 1,
    int? GidIndex = null, bool AutoGid = false, int Size = 4096, int Iterations = 1000, int Mtu = 1024, int RxDepth = 500,
    TimeSpan? ExchangeTimeout = null)
{
    /// <summary>ibv_rc_pingpong's TCP port.</summary>
    public const int DefaultPort = 18515;

    /// <summary>The exchange time-out in effect (default 60 s).</summary>
    public TimeSpan EffectiveTimeout => ExchangeTimeout ?? TimeSpan.FromSeconds(60);

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="InvalidInputException">A value is out of range; the message says which.</exception>
    public void Validate()
    {
        if (Port is < 1 or > 65535)
            throw new InvalidInputException($"Port {Port} is out of range; give 1-65535.");
        if (IbPort is < 1 or > 255)
            throw new InvalidInputException($"Device port {IbPort} is out of range; give 1-255.");
        if (GidIndex is < 0)
            throw new InvalidInputException($"GID index {GidIndex} is negative; give 0 or more, or 'auto'.");
        if (Size < 1)
            throw new InvalidInputException($"Size {Size} is too small; give at least 1 byte.");
        if (Iterations < 1)
            throw new InvalidInputException($"Iterations {Iterations} is too small; give at least 1.");
        if (Verbs.VerbsMtu.FromBytes(Mtu) == 0)
            throw new InvalidInputException($"MTU {Mtu} is not valid; give 256, 512, 1024, 2048 or 4096.");
        if (RxDepth < 2)
            throw new InvalidInputException($"Receive depth {RxDepth} is too small; give at least 2.");
    }
}

/// <summary>One side's address for the RC connection, as exchanged over TCP.</summary>
/// <param name="Lid">The port's LID (0 on Ethernet).</param>
/// <param name="Qpn">The queue pair number (24 bits).</param>
/// <param name="Psn">The initial packet sequence number (24 bits).</param>
/// <param name="Gid">The GID, 16 bytes in network order (all zero when no GID is used).</param>
public sealed record PingPongDestination(int Lid, int Qpn, int Psn, byte[] Gid)
{
    /// <summary>True when the GID's interface id (its last 8 bytes) is set: ibv_rc_pingpong then uses a GRH.</summary>
    public bool HasGid => Gid.AsSpan(8, 8).ContainsAnyExcept((byte)0);

    /// <summary>The GID as text (IPv6 notation).</summary>
    public string GidText => new System.Net.IPAddress(Gid).ToString();
}

/// <summary>The outcome of a run: ibv_rc_pingpong's two lines' numbers and the latency of each iteration.</summary>
/// <param name="Local">This side's address.</param>
/// <param name="Remote">The peer's address.</param>
/// <param name="Bytes">size x iterations x 2.</param>
/// <param name="Seconds">Wall time of the loop.</param>
/// <param name="MbitPerSecond">bytes x 8 / microseconds.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="MicrosecondsPerIteration">Loop time / iterations.</param>
/// <param name="LatencyP50Microseconds">Median time between consecutive received messages.</param>
/// <param name="LatencyP99Microseconds">99th percentile of that time.</param>
/// <param name="LatencyMaxMicroseconds">The longest such time.</param>
/// <param name="LoopAllocatedBytes">Managed-heap bytes the loop's thread allocated during the loop (0: the loop is
/// allocation-free, as it is meant to be).</param>
public sealed record PingPongResult(PingPongDestination Local, PingPongDestination Remote, long Bytes, double Seconds,
    double MbitPerSecond, int Iterations, double MicrosecondsPerIteration, double LatencyP50Microseconds,
    double LatencyP99Microseconds, double LatencyMaxMicroseconds, long LoopAllocatedBytes = 0)
{
    /// <summary>ibv_rc_pingpong's first result line.</summary>
    public string BandwidthLine => FormattableString.Invariant($"{Bytes} bytes in {Seconds:F2} seconds = {MbitPerSecond:F2} Mbit/sec");

    /// <summary>ibv_rc_pingpong's second result line.</summary>
    public string IterationLine => FormattableString.Invariant($"{Iterations} iters in {Seconds:F2} seconds = {MicrosecondsPerIteration:F2} usec/iter");

    /// <summary>The latency line this tool adds.</summary>
    public string LatencyLine => FormattableString.Invariant(
        $"latency per iter: p50 {LatencyP50Microseconds:F2} usec, p99 {LatencyP99Microseconds:F2} usec, max {LatencyMaxMicroseconds:F2} usec");
}

/// <summary>The self-test failed: the TCP exchange (a peer that is absent, slow or speaks something else) or the
/// RDMA traffic itself.</summary>
public sealed class SelfTestException : NspawnNativeException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public SelfTestException(string message) : base(message) { }

    /// <summary>Creates the exception with an operator-facing message and its cause.</summary>
    public SelfTestException(string message, Exception? inner) : base(message, inner) { }
}
