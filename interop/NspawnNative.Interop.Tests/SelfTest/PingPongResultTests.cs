using System.Diagnostics;
using NspawnNative.Interop.SelfTest;

namespace NspawnNative.Interop.Tests.SelfTest;

public class PingPongResultTests
{
    [Fact]
    public void The_numbers_are_ibv_rc_pingpongs_and_the_percentiles_come_from_the_gaps()
    {
        var o = new PingPongOptions(Size: 4096, Iterations: 100);
        long us = Stopwatch.Frequency / 1_000_000;
        // 99 gaps of 10 us and one of 500 us: 1490 us in all.
        var received = new long[100];
        long t = 0;
        for (int i = 0; i < 100; i++)
            received[i] = t += (i == 50 ? 500 : 10) * us;
        var d = new PingPongDestination(0, 1, 2, new byte[16]);
        var r = RcPingPong.Summarize(d, d, o, 0, t, received);
        Assert.Equal(819200, r.Bytes);
        Assert.Equal(14.9, r.MicrosecondsPerIteration, 3);
        Assert.Equal(10, r.LatencyP50Microseconds, 3);
        Assert.Equal(10, r.LatencyP99Microseconds, 3);
        Assert.Equal(500, r.LatencyMaxMicroseconds, 3);
        Assert.Equal("819200 bytes in 0.00 seconds = 4398.39 Mbit/sec", r.BandwidthLine);
        Assert.Equal("100 iters in 0.00 seconds = 14.90 usec/iter", r.IterationLine);
    }
}
