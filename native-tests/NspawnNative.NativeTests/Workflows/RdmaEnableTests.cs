using static NspawnNative.NativeTests.Workflows.WorkflowOracles;

namespace NspawnNative.NativeTests.Workflows;

/// <summary>
/// <c>rdma enable</c> and <c>rdma disable</c> end to end: a machine with an image only (no .nspawn file, no drop-in)
/// taken to RDMA traffic from inside it in one command, judged by oracles (systemctl, machinectl, /proc, and
/// ibv_rc_pingpong started through the container's own systemd), then taken back byte for byte.
/// </summary>
public sealed class RdmaEnableTests
{
    // Just over the container systemd's default 8 MiB: registering it proves the whole memlock chain.
    private const int PingPongSize = 9 * 1024 * 1024;

    [Fact]
    public async Task EnableTakesABareMachineToWorkingRdmaAndDisableTakesItBack()
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync("wf-full", nspawnFile: null);
        await m.StartAsync();
        Assert.DoesNotContain("infiniband", await UnitPropertyAsync(m.Unit, "DeviceAllow"));
        var before = await SnapshotAsync(WatchedPaths(m.Name));
        var bareLeader = await LeaderAsync(m.Name);

        // A dry run shows every file as a diff and the calls it would make, and changes nothing.
        var dry = await Guest.ShellAsync("rdma", "enable", m.Name, "--dry-run");
        Ok(dry, "rdma enable --dry-run");
        Assert.Contains("+++ ", dry.StdOut);
        Assert.Contains("LimitMEMLOCK=infinity", dry.StdOut);
        Assert.Contains("char-infiniband_verbs", dry.StdOut);
        Assert.Contains("Capability=CAP_IPC_LOCK", dry.StdOut);
        Assert.Contains("Reload", dry.StdOut);
        Assert.Equal(before, await SnapshotAsync(WatchedPaths(m.Name)));
        Assert.Equal(bareLeader, await LeaderAsync(m.Name));

        var enable = await Guest.RunAsync(Guest.ShellBinary, ["rdma", "enable", m.Name], TimeSpan.FromMinutes(5));
        Ok(enable, "rdma enable");

        // The machine was restarted and runs with the whole chain in place.
        Assert.Equal("running", (await Guest.RunAsync("machinectl", "show", m.Name, "-p", "State", "--value")).StdOut.Trim());
        var leader = await LeaderAsync(m.Name);
        Assert.NotEqual(bareLeader, leader);
        Assert.Equal("infinity", await UnitPropertyAsync(m.Unit, "LimitMEMLOCK"));
        Assert.Equal("no", await UnitPropertyAsync(m.Unit, "NeedDaemonReload"));
        var allow = await UnitPropertyAsync(m.Unit, "DeviceAllow");
        Assert.Contains("char-infiniband_verbs", allow);
        Assert.Contains("/dev/infiniband/rdma_cm", allow);
        Assert.DoesNotContain("infiniband_mad", allow);
        Assert.Equal("unlimited", await MemlockOfAsync(leader));
        Assert.Equal("infinity", await UnitPropertyAsync("", "DefaultLimitMEMLOCK", m.Name));
        var ulimit = await m.ShInsideAsync("ulimit -l");
        Ok(ulimit, "ulimit -l inside");
        Assert.Equal("unlimited", ulimit.StdOut.Trim());
        var devinfo = await m.RunInsideAsync(["ibv_devinfo", "-d", Guest.RdmaDevice]);
        Ok(devinfo, "ibv_devinfo inside");
        Assert.True(File.Exists($"/var/lib/machines/{m.Name}/etc/systemd/system/container-getty@.service.d/term.conf"),
            "the TERM fix was not written into the container's root");

        // Traffic: rdma-core's own ping-pong as the server inside (its cgroup, its limits), the client on the host.
        await PingPongIntoAsync(m);

        // doctor, with our own self-test from inside the container, finds nothing wrong.
        var verdict = await DoctorAsync(m.Name, "--selftest");
        Assert.DoesNotContain(verdict, l => l.Status == "fail");
        Assert.Equal("ok", Line(verdict, "machine.selftest").Status);
        Assert.Equal("ok", Line(verdict, "machine.memlock").Status);

        // A second run changes nothing, says so and leaves the machine alone.
        var enabled = await SnapshotAsync(WatchedPaths(m.Name));
        var again = await Guest.RunAsync(Guest.ShellBinary, ["rdma", "enable", m.Name], TimeSpan.FromMinutes(5));
        Ok(again, "second rdma enable");
        Assert.Contains("nothing to change", again.StdOut + again.StdErr);
        Assert.Equal(enabled, await SnapshotAsync(WatchedPaths(m.Name)));
        Assert.Equal(leader, await LeaderAsync(m.Name));

        // disable: a dry run first, then the real thing, which restores every file exactly.
        var dryDisable = await Guest.ShellAsync("rdma", "disable", m.Name, "--dry-run");
        Ok(dryDisable, "rdma disable --dry-run");
        Assert.Contains("--- ", dryDisable.StdOut);
        Assert.Equal(enabled, await SnapshotAsync(WatchedPaths(m.Name)));
        var disable = await Guest.RunAsync(Guest.ShellBinary, ["rdma", "disable", m.Name], TimeSpan.FromMinutes(5));
        Ok(disable, "rdma disable");
        Assert.Equal(before, await SnapshotAsync(WatchedPaths(m.Name)));
        Assert.DoesNotContain("infiniband", await UnitPropertyAsync(m.Unit, "DeviceAllow"));
        Assert.NotEqual("infinity", await UnitPropertyAsync(m.Unit, "LimitMEMLOCK"));
        Assert.NotEqual(leader, await LeaderAsync(m.Name));
    }

    [Fact]
    public async Task DisableRemovesOnlyWhatEnableAddedToFilesThatExistedBefore()
    {
        Guest.Require();
        const string Profile = "[Exec]\n# kept as it was\nBoot=yes\nCapability=CAP_NET_ADMIN\n\n[Network]\nVirtualEthernet=no\n";
        const string DropIn = "[Service]\nDeviceAllow=/dev/net/tun rwm\n";
        await using var m = await TestMachine.CreateAsync("wf-exact", Profile, DropIn);
        var limits = $"/var/lib/machines/{m.Name}/etc/security/limits.d";
        Directory.CreateDirectory(limits);
        await File.WriteAllTextAsync(Path.Combine(limits, "50-site.conf"), "*  soft  nofile  4096\n");
        var before = await SnapshotAsync(WatchedPaths(m.Name));

        var enable = await Guest.ShellAsync("rdma", "enable", m.Name);
        Ok(enable, "rdma enable of a stopped machine");
        var profile = await File.ReadAllTextAsync($"/etc/systemd/nspawn/{m.Name}.nspawn");
        Assert.Contains("# kept as it was", profile);
        Assert.Contains("Capability=CAP_NET_ADMIN", profile);
        Assert.Contains("CAP_IPC_LOCK", profile);
        Assert.Contains("Bind=/dev/infiniband", profile);
        Assert.Equal(DropIn, await File.ReadAllTextAsync($"/etc/systemd/system/{m.Unit}.d/50-test.conf"));
        Assert.Equal("infinity", await UnitPropertyAsync(m.Unit, "LimitMEMLOCK"));
        Assert.False(await m.IsKnownAsync(), "rdma enable started a machine that was not running");

        var disable = await Guest.ShellAsync("rdma", "disable", m.Name);
        Ok(disable, "rdma disable");
        Assert.Equal(before, await SnapshotAsync(WatchedPaths(m.Name)));
        Assert.NotEqual("infinity", await UnitPropertyAsync(m.Unit, "LimitMEMLOCK"));
    }

    /// <summary>ibv_rc_pingpong as the server inside the machine (a transient unit of its own systemd, so its device
    /// cgroup and limits apply) and as the client on the host, over rxe0's IPv4-mapped GID.</summary>
    private static async Task PingPongIntoAsync(TestMachine m)
    {
        var gid = RoceGidIndex().ToString();
        string[] common = ["-d", Guest.RdmaDevice, "-g", gid, "-s", PingPongSize.ToString(), "-n", "2"];
        var server = m.RunInsideAsync(["ibv_rc_pingpong", .. common], timeout: TimeSpan.FromMinutes(3));
        ProcessResult? client = null;
        for (var attempt = 0; attempt < 60 && !server.IsCompleted; attempt++)
        {
            client = await Guest.RunAsync("ibv_rc_pingpong", [.. common, "127.0.0.1"], TimeSpan.FromMinutes(2));
            if (client.ExitCode == 0)
                break;
            await Task.Delay(1000);
        }
        var s = await server;
        Assert.True(s.ExitCode == 0, $"ibv_rc_pingpong server inside '{m.Name}' failed: {s}\nlast client: {client}");
        Assert.True(client?.ExitCode == 0, $"ibv_rc_pingpong client on the host failed: {client}");
        Assert.Contains("iters in", client!.StdOut);
    }
}
