using System.Diagnostics;
using NspawnNative.Interop.Verbs;

namespace NspawnNative.Interop.SelfTest;

/// <summary>
/// The RC ping-pong self-test, compatible with rdma-core's ibv_rc_pingpong in both roles: same defaults, same TCP
/// address exchange, same verbs sequence and loop. Results carry ibv_rc_pingpong's numbers and per-iteration
/// latency percentiles.
/// </summary>
public static class RcPingPong
{
    // TODO (verbs): ibv_rc_pingpong's -e (completion events: ibv_req_notify_cq is bound but no completion channel
    // is), -l (service level), -o/-P (ODP, prefetch), -t (timestamps), -j (device memory), -c (buffer validation)
    // and -N (new send API) are not offered; the defaults of both tools talk to each other without them.
    /// <summary>Runs the server: waits for one client, then the ping-pong.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="paths">The sysfs root used to tell RoCE v2 GIDs apart (for <c>-g auto</c>).</param>
    /// <param name="listening">Called with the TCP port once the server listens.</param>
    /// <param name="cancellationToken">Cancels the wait and the loop.</param>
    /// <returns>The result.</returns>
    /// <exception cref="VerbsException">A verbs call failed.</exception>
    /// <exception cref="SelfTestException">The exchange or the traffic failed.</exception>
    public static async Task<PingPongResult> ServerAsync(PingPongOptions options, HostPaths paths, Action<int>? listening,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var context = VerbsContext.Open(options.Device, paths);
        using var endpoint = CreateEndpoint(context, options, paths);
        var remote = await PingPongExchange.ServerAsync(options.Port, endpoint.Local, endpoint.Connect, options.EffectiveTimeout,
            listening, cancellationToken).ConfigureAwait(false);
        return await Task.Factory.StartNew(() => Measure(endpoint, remote, sendFirst: false, options, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Runs the client against a server (ours or ibv_rc_pingpong).</summary>
    /// <param name="host">The server's host name or address.</param>
    /// <param name="options">The settings.</param>
    /// <param name="paths">The sysfs root used to tell RoCE v2 GIDs apart (for <c>-g auto</c>).</param>
    /// <param name="cancellationToken">Cancels the wait and the loop.</param>
    /// <returns>The result.</returns>
    /// <exception cref="VerbsException">A verbs call failed.</exception>
    /// <exception cref="SelfTestException">The exchange or the traffic failed.</exception>
    public static async Task<PingPongResult> ClientAsync(string host, PingPongOptions options, HostPaths paths,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var context = VerbsContext.Open(options.Device, paths);
        using var endpoint = CreateEndpoint(context, options, paths);
        var remote = await PingPongExchange.ClientAsync(host, options.Port, endpoint.Local, options.EffectiveTimeout, cancellationToken)
            .ConfigureAwait(false);
        endpoint.Connect(remote);
        return await Task.Factory.StartNew(() => Measure(endpoint, remote, sendFirst: true, options, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Runs both ends in this process on one device: two QPs connected to each other, each loop on its own
    /// thread. No TCP.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="paths">The sysfs root used to tell RoCE v2 GIDs apart (for <c>-g auto</c>).</param>
    /// <param name="cancellationToken">Cancels the loops.</param>
    /// <returns>The client side's result.</returns>
    /// <exception cref="VerbsException">A verbs call failed.</exception>
    /// <exception cref="SelfTestException">The traffic failed.</exception>
    public static async Task<PingPongResult> LoopbackAsync(PingPongOptions options, HostPaths paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var context = VerbsContext.Open(options.Device, paths);
        using var server = CreateEndpoint(context, options, paths);
        using var client = CreateEndpoint(context, options, paths);
        server.Connect(client.Local);
        client.Connect(server.Local);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var serverRun = Task.Factory.StartNew(() => Measure(server, client.Local, false, options, cts.Token), cts.Token,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var clientRun = Task.Factory.StartNew(() => Measure(client, server.Local, true, options, cts.Token), cts.Token,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            var first = await Task.WhenAny(serverRun, clientRun).ConfigureAwait(false);
            if (first.IsFaulted)
                await cts.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(serverRun, clientRun).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The other side's failure is the one to report.
            var failed = serverRun.IsFaulted ? serverRun : clientRun;
            await failed.ConfigureAwait(false);
        }
        return await clientRun.ConfigureAwait(false);
    }

    /// <summary>
    /// The GID index <c>-g auto</c> picks: none (-1) on InfiniBand; on an Ethernet (RoCE) port a RoCE v2 entry,
    /// preferring an IPv4 one (::ffff:a.b.c.d), then a global IPv6 one, then a link-local one. Both peers must use GIDs
    /// of one IP family, and IPv4 is what RoCE v2 fabrics route; when sysfs does not give the types, every non-empty
    /// entry counts as RoCE v2.
    /// </summary>
    /// <param name="context">The open device.</param>
    /// <param name="port">The port's attributes.</param>
    /// <param name="paths">The sysfs root.</param>
    /// <returns>The GID index, or -1 for none.</returns>
    /// <exception cref="SelfTestException">An Ethernet port has no usable GID.</exception>
    public static int PickGid(VerbsContext context, VerbsPortAttributes port, HostPaths paths)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(port);
        if (port.LinkLayer != VerbsLinkLayer.Ethernet)
            return -1;
        int best = -1, bestRank = int.MaxValue;
        for (int i = 0; i < port.GidTableLength; i++)
        {
            VerbsGid gid;
            try
            {
                gid = context.QueryGid(port.Port, i);
            }
            catch (VerbsException)
            {
                continue;
            }
            if (gid.IsEmpty)
                continue;
            var type = context.GidType(paths, port.Port, i);
            if (type is not null && !type.Contains("v2", StringComparison.OrdinalIgnoreCase))
                continue;
            int rank = gid.Address.IsIPv4MappedToIPv6 ? 0 : gid.Address.IsIPv6LinkLocal ? 2 : 1;
            if (rank < bestRank)
                (best, bestRank) = (i, rank);
        }
        if (best >= 0)
            return best;
        throw new SelfTestException($"Port {port.Port} of '{context.Name}' is Ethernet (RoCE) but has no RoCE v2 GID; give the netdev an IP address or pass a GID index with -g.");
    }

    private static PingPongEndpoint CreateEndpoint(VerbsContext context, PingPongOptions options, HostPaths paths)
    {
        var port = context.QueryPort(options.IbPort);
        int gid = options.AutoGid ? PickGid(context, port, paths) : options.GidIndex ?? -1;
        return new PingPongEndpoint(context, options, gid, port);
    }

    private static PingPongResult Measure(PingPongEndpoint endpoint, PingPongDestination remote, bool sendFirst, PingPongOptions options,
        CancellationToken cancellationToken)
    {
        var receivedAt = new long[options.Iterations];
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var (start, end) = endpoint.Run(sendFirst, receivedAt, cancellationToken);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return Summarize(endpoint.Local, remote, options, start, end, receivedAt) with { LoopAllocatedBytes = allocated };
    }

    internal static PingPongResult Summarize(PingPongDestination local, PingPongDestination remote, PingPongOptions options, long start,
        long end, long[] receivedAt)
    {
        double usec = (end - start) * 1_000_000.0 / Stopwatch.Frequency;
        long bytes = (long)options.Size * options.Iterations * 2;
        var gaps = new double[receivedAt.Length];
        long previous = start;
        for (int i = 0; i < receivedAt.Length; i++)
        {
            gaps[i] = (receivedAt[i] - previous) * 1_000_000.0 / Stopwatch.Frequency;
            previous = receivedAt[i];
        }
        Array.Sort(gaps);
        return new PingPongResult(local, remote, bytes, usec / 1_000_000.0, usec > 0 ? bytes * 8.0 / usec : 0, options.Iterations,
            usec / options.Iterations, Percentile(gaps, 0.50), Percentile(gaps, 0.99), gaps.Length == 0 ? 0 : gaps[^1]);
    }

    private static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
            return 0;
        int rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
