using System.CommandLine;
using System.Globalization;
using NspawnNative.Interop;
using NspawnNative.Interop.SelfTest;

namespace NspawnNative.Shell.Commands.SelfTest;

/// <summary>selftest server/client/loopback (an RC ping-pong compatible with ibv_rc_pingpong) and limits.</summary>
internal sealed class SelfTestVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session)
    {
        var selftest = new Command("selftest", "Prove RDMA works with traffic: an RC ping-pong compatible with ibv_rc_pingpong.");

        var server = new Command("server", "Wait for one client (ours or 'ibv_rc_pingpong HOST'), then ping-pong.");
        var serverOptions = new PingPongCliOptions(server);
        server.Handle(session, (ctx, ct) => RunAsync(ctx, "server", serverOptions,
            (o, c) => RcPingPong.ServerAsync(o, ctx.Paths, null, c), ct));

        var client = new Command("client", "Connect to a server (ours or 'ibv_rc_pingpong'), then ping-pong.");
        var host = new Argument<string>("host") { Description = "The server's host name or address." };
        client.Arguments.Add(host);
        var clientOptions = new PingPongCliOptions(client);
        client.Handle(session, (ctx, ct) => RunAsync(ctx, "client", clientOptions,
            (o, c) => RcPingPong.ClientAsync(ctx.Get(host)!, o, ctx.Paths, c), ct));

        var loopback = new Command("loopback", "Ping-pong between two queue pairs of one device in this process (no TCP).");
        var loopbackOptions = new PingPongCliOptions(loopback);
        loopback.Handle(session, (ctx, ct) => RunAsync(ctx, "loopback", loopbackOptions,
            (o, c) => RcPingPong.LoopbackAsync(o, ctx.Paths, c), ct));

        selftest.Subcommands.Add(server);
        selftest.Subcommands.Add(client);
        selftest.Subcommands.Add(loopback);
        return [selftest, LimitsVerbs.Create(session)];
    }

    private static async Task<int> RunAsync(VerbContext ctx, string role, PingPongCliOptions cli,
        Func<PingPongOptions, CancellationToken, Task<PingPongResult>> run, CancellationToken ct)
    {
        var options = cli.Build(ctx.Parse);
        var result = await run(options, ct).ConfigureAwait(false);
        if (ctx.Json)
        {
            ctx.Out.Json(SelfTestJson.From(role, options, result), SelfTestJsonContext.Default.SelfTestJson);
            return ExitCodes.Success;
        }
        ctx.Out.Line(AddressLine("local address: ", result.Local));
        ctx.Out.Line(AddressLine("remote address:", result.Remote));
        ctx.Out.Line(result.BandwidthLine);
        ctx.Out.Line(result.IterationLine);
        ctx.Out.Line(result.LatencyLine);
        return ExitCodes.Success;
    }

    // ibv_rc_pingpong's address lines, so its output and ours read the same.
    private static string AddressLine(string label, PingPongDestination d) => string.Create(CultureInfo.InvariantCulture,
        $"  {label} LID 0x{d.Lid:x4}, QPN 0x{d.Qpn:x6}, PSN 0x{d.Psn:x6}, GID {d.GidText}");
}

/// <summary>ibv_rc_pingpong's options on one command, and their translation to <see cref="PingPongOptions"/>.</summary>
internal sealed class PingPongCliOptions
{
    private readonly Option<int> _port = new("--port", "-p") { Description = "TCP port of the address exchange.", DefaultValueFactory = _ => PingPongOptions.DefaultPort };
    private readonly Option<string?> _device = new("--ib-dev", "-d") { Description = "RDMA device (default: the first one).", HelpName = "DEV" };
    private readonly Option<int> _ibPort = new("--ib-port", "-i") { Description = "Device port.", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _gid = new("--gid-idx", "-g") { Description = "GID index, or 'auto' (a RoCE v2 GID on Ethernet, none on InfiniBand). RoCE needs one.", HelpName = "GIDX|auto" };
    private readonly Option<int> _size = new("--size", "-s") { Description = "Bytes per message.", DefaultValueFactory = _ => 4096 };
    private readonly Option<int> _iters = new("--iters", "-n") { Description = "Messages each way.", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _mtu = new("--mtu", "-m") { Description = "Path MTU: 256, 512, 1024, 2048 or 4096.", DefaultValueFactory = _ => 1024 };
    private readonly Option<int> _rxDepth = new("--rx-depth", "-r") { Description = "Receives kept posted.", DefaultValueFactory = _ => 500 };
    private readonly Option<int> _timeout = new("--timeout") { Description = "Seconds allowed for each step of the TCP exchange.", DefaultValueFactory = _ => 60 };

    public PingPongCliOptions(Command command)
    {
        foreach (var o in new Option[] { _port, _device, _ibPort, _gid, _size, _iters, _mtu, _rxDepth, _timeout })
            command.Options.Add(o);
    }

    public PingPongOptions Build(ParseResult parse)
    {
        var (gidIndex, auto) = ParseGid(parse.GetValue(_gid));
        int timeout = parse.GetValue(_timeout);
        if (timeout < 1)
            throw new UsageException($"Time-out {timeout} is too small; give at least 1 second.");
        var options = new PingPongOptions(parse.GetValue(_port), parse.GetValue(_device), parse.GetValue(_ibPort), gidIndex, auto,
            parse.GetValue(_size), parse.GetValue(_iters), parse.GetValue(_mtu), parse.GetValue(_rxDepth), TimeSpan.FromSeconds(timeout));
        try
        {
            options.Validate();
        }
        catch (InvalidInputException e)
        {
            throw new UsageException(e.Message);
        }
        return options;
    }

    /// <summary>Reads -g: absent (no GID), "auto", or a non-negative index.</summary>
    public static (int? Index, bool Auto) ParseGid(string? text)
    {
        if (text is null)
            return (null, false);
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase))
            return (null, true);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            return (index, false);
        throw new UsageException($"GID index '{text}' is neither a number nor 'auto'.");
    }
}
