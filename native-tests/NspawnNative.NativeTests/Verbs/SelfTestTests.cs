using System.Globalization;
using System.Text.Json;

namespace NspawnNative.NativeTests.Verbs;

/// <summary>
/// The RC ping-pong self-test on rxe0 (soft-RoCE, so a GID is required): in one process, against rdma-core's
/// ibv_rc_pingpong in both roles, from inside an RDMA-enabled container, and the advice it gives when memlock or the
/// device cgroup is in the way.
/// </summary>
public sealed class SelfTestTests
{
    // Under TCG emulation every message costs milliseconds; 200 keeps a run short and still exercises the
    // receive re-posting (rx depth 500 is not reached, so one test lowers it).
    private const string Iters = "200";

    private const string ResultLines =
        @"(?m)^\d+ bytes in \d+\.\d\d seconds = \d+\.\d\d Mbit/sec$\n^200 iters in \d+\.\d\d seconds = \d+\.\d\d usec/iter$\n^latency per iter: p50 \d+\.\d\d usec, p99 \d+\.\d\d usec, max \d+\.\d\d usec$";

    [Fact]
    public async Task LoopbackOnRxe0PrintsIbvRcPingpongsLinesAndLatency()
    {
        Guest.Require();
        var r = await Guest.ShellAsync("selftest", "loopback", "-d", Guest.RdmaDevice, "-g", "auto", "-n", Iters);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(ResultLines, r.StdOut);
        Assert.Contains($"{4096L * 200 * 2} bytes in", r.StdOut);
    }

    [Fact]
    public async Task LoopbackWithASmallReceiveDepthRepostsReceivesAndReportsJson()
    {
        Guest.Require();
        var r = await Guest.ShellAsync("selftest", "loopback", "-d", Guest.RdmaDevice, "-g", "auto", "-n", Iters, "-r", "4", "-s", "64", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.Equal("loopback", root.GetProperty("role").GetString());
        Assert.Equal(200, root.GetProperty("iters").GetInt32());
        Assert.Equal(64L * 200 * 2, root.GetProperty("bytes").GetInt64());
        Assert.True(root.GetProperty("latency_p50_usec").GetDouble() > 0);
        Assert.True(root.GetProperty("latency_max_usec").GetDouble() >= root.GetProperty("latency_p99_usec").GetDouble());
        Assert.NotEqual("::", root.GetProperty("local").GetProperty("gid").GetString());
        Assert.Equal(0, root.GetProperty("loop_allocated_bytes").GetInt64());
    }

    [Fact]
    public async Task OurClientTalksToIbvRcPingpongAsServer()
    {
        Guest.Require();
        const int port = 18601;
        var server = Guest.RunAsync("ibv_rc_pingpong", ["-d", Guest.RdmaDevice, "-g", "1", "-n", Iters, "-p", Port(port)]);
        await WaitForListenerAsync(port, server);
        var client = await Guest.ShellAsync("selftest", "client", "127.0.0.1", "-d", Guest.RdmaDevice, "-g", "auto", "-n", Iters, "-p", Port(port));
        var s = await server;
        Assert.True(client.ExitCode == 0, $"our client: {client}\nibv_rc_pingpong server: {s}");
        Assert.True(s.ExitCode == 0, $"ibv_rc_pingpong server: {s}\nour client: {client}");
        Assert.Matches(ResultLines, client.StdOut);
        Assert.Matches(@"(?m)^200 iters in \d+\.\d\d seconds", s.StdOut);
        AssertSameQueuePairs(client.StdOut, s.StdOut);
    }

    [Fact]
    public async Task IbvRcPingpongAsClientTalksToOurServer()
    {
        Guest.Require();
        const int port = 18602;
        var server = Guest.ShellAsync("selftest", "server", "-d", Guest.RdmaDevice, "-g", "auto", "-n", Iters, "-p", Port(port));
        await WaitForListenerAsync(port, server);
        var client = await Guest.RunAsync("ibv_rc_pingpong", ["-d", Guest.RdmaDevice, "-g", "1", "-n", Iters, "-p", Port(port), "127.0.0.1"]);
        var s = await server;
        Assert.True(s.ExitCode == 0, $"our server: {s}\nibv_rc_pingpong client: {client}");
        Assert.True(client.ExitCode == 0, $"ibv_rc_pingpong client: {client}\nour server: {s}");
        Assert.Matches(ResultLines, s.StdOut);
        AssertSameQueuePairs(s.StdOut, client.StdOut);
    }

    [Fact]
    public async Task GidsOfDifferentIpFamiliesGetAnExplanationNotJustEinval()
    {
        Guest.Require();
        const int port = 18604;
        var ll = await Guest.ShAsync($"grep -l '^fe80' /sys/class/infiniband/{Guest.RdmaDevice}/ports/1/gids/* | head -n1");
        Assert.SkipWhen(ll.StdOut.Trim().Length == 0, "rxe0 has no link-local GID (the netdev has no IPv6 link-local address)");
        var linkLocal = Path.GetFileName(ll.StdOut.Trim());
        var server = Guest.ShellAsync("selftest", "server", "-d", Guest.RdmaDevice, "-g", linkLocal, "-n", "10", "-p", Port(port));
        await WaitForListenerAsync(port, server);
        var client = await Guest.RunAsync("ibv_rc_pingpong", ["-d", Guest.RdmaDevice, "-g", "1", "-n", "10", "-p", Port(port), "127.0.0.1"]);
        var s = await server;
        Assert.True(s.ExitCode == 1, $"our server: {s}\nibv_rc_pingpong client: {client}");
        Assert.Contains("different IP families", s.StdErr);
    }

    [Fact]
    public async Task OurServerInsideAnRdmaContainerServesAClientOnTheHost()
    {
        Guest.Require();
        const int port = 18603;
        await using var m = await TestMachine.CreateAsync("vb-server",
            "[Exec]\nCapability=CAP_IPC_LOCK\nLimitMEMLOCK=infinity\n\n[Files]\nBind=/dev/infiniband\n\n[Network]\nVirtualEthernet=no\n",
            "[Service]\nDeviceAllow=char-infiniband_verbs rwm\nLimitMEMLOCK=infinity\n");
        InstallShell(m.Name);
        await m.StartAsync();
        var server = m.RunInsideAsync(["/usr/local/bin/nspawn-native", "selftest", "server", "-d", Guest.RdmaDevice, "-g", "auto", "-n", Iters, "-p", Port(port)]);
        await WaitForListenerAsync(port, server);
        var client = await Guest.ShellAsync("selftest", "client", "127.0.0.1", "-d", Guest.RdmaDevice, "-g", "auto", "-n", Iters, "-p", Port(port));
        var s = await server;
        Assert.True(s.ExitCode == 0, $"server in the container: {s}\nclient on the host: {client}");
        Assert.True(client.ExitCode == 0, $"client on the host: {client}\nserver in the container: {s}");
        Assert.Matches(ResultLines, s.StdOut);
        Assert.Matches(ResultLines, client.StdOut);
    }

    [Fact]
    public async Task ALowMemlockLimitGivesTheMemlockAdvice()
    {
        Guest.Require();
        // Root's CAP_IPC_LOCK lifts the memlock limit for pinning; drop it so the limit applies as for any user.
        var r = await Guest.RunAsync("prlimit", ["--memlock=65536:65536", "setpriv", "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock",
            Guest.ShellBinary, "selftest", "loopback", "-d", Guest.RdmaDevice, "-g", "auto", "-s", "1048576", "-n", "10"]);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("RLIMIT_MEMLOCK is 64K", r.StdErr);
        Assert.Contains("LimitMEMLOCK=infinity", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public async Task AContainerWithoutDeviceAllowGetsTheDeviceCgroupAdvice()
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync("vb-nodev");
        InstallShell(m.Name);
        await m.StartAsync();
        var r = await m.RunInsideAsync(["/usr/local/bin/nspawn-native", "selftest", "loopback", "-d", Guest.RdmaDevice, "-g", "auto", "-n", "10"]);
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.Contains("Opening RDMA device 'rxe0' was refused", r.StdErr);
        Assert.Contains("DeviceAllow=char-infiniband_verbs rwm", r.StdErr);
    }

    [Fact]
    public async Task LimitsShowsAndRaisesMemlockOfAnotherProcess()
    {
        Guest.Require();
        var sleeper = Guest.RunAsync("prlimit", ["--memlock=65536:65536", "sleep", "60"]);
        string? pid = null;
        for (int i = 0; i < 100 && pid is null; i++)
        {
            var p = await Guest.RunAsync("pgrep", "-n", "-x", "sleep");
            pid = p.ExitCode == 0 ? p.StdOut.Trim() : null;
            if (pid is null)
                await Task.Delay(100);
        }
        Assert.NotNull(pid);
        var before = await Guest.ShellAsync("limits", pid);
        Assert.Matches(@"(?m)^RLIMIT_MEMLOCK\s+64K\s+64K\s+bytes$", before.StdOut);
        var set = await Guest.ShellAsync("limits", "set", "memlock", "infinity", "--pid", pid);
        Assert.True(set.ExitCode == 0, set.ToString());
        var proc = await File.ReadAllTextAsync($"/proc/{pid}/limits");
        Assert.Matches(@"(?m)^Max locked memory\s+unlimited\s+unlimited\s+bytes", proc);
        await Guest.RunAsync("kill", pid);
        await sleeper;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static void InstallShell(string machine)
    {
        var dir = $"/var/lib/machines/{machine}/usr/local/bin";
        Directory.CreateDirectory(dir);
        File.Copy(Guest.ShellBinary, Path.Combine(dir, "nspawn-native"), overwrite: true);
    }

    // ibv_rc_pingpong prints "local address: ... QPN 0x..." and "remote address: ..."; each side's local QPN is the
    // other's remote QPN when both really talked to each other.
    private static void AssertSameQueuePairs(string ours, string theirs)
    {
        static string Qpn(string text, string which) =>
            System.Text.RegularExpressions.Regex.Match(text, which + @" address:\s+LID 0x[0-9a-f]+, QPN (0x[0-9a-f]{6})").Groups[1].Value;
        Assert.NotEqual("", Qpn(ours, "local"));
        Assert.Equal(Qpn(ours, "local"), Qpn(theirs, "remote"));
        Assert.Equal(Qpn(ours, "remote"), Qpn(theirs, "local"));
    }

    // Reads /proc/net/tcp{,6} rather than connecting: a probe connection would use up the server's single accept.
    private static async Task WaitForListenerAsync(int port, Task<ProcessResult> server)
    {
        var hex = $":{port:X4} ";
        for (int i = 0; i < 600; i++)
        {
            foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            {
                foreach (var line in await File.ReadAllLinesAsync(file))
                {
                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length > 3 && f[1].EndsWith(hex.TrimEnd(), StringComparison.Ordinal) && f[3] == "0A")
                        return;
                }
            }
            if (server.IsCompleted)
                Assert.Fail($"the server ended before listening on port {port}: {await server}");
            await Task.Delay(100);
        }
        Assert.Fail($"nothing listened on TCP port {port} within 60 s");
    }
}
