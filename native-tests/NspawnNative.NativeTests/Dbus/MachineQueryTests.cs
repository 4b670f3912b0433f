using System.Text.Json;

namespace NspawnNative.NativeTests.Dbus;

/// <summary>
/// The machine and unit verbs against real machined and systemd on one running machine, each checked against the
/// oracle (machinectl, systemctl, /proc) or an effect seen inside the machine.
/// </summary>
public sealed class MachineQueryTests(RunningMachineFixture fixture) : IClassFixture<RunningMachineFixture>
{
    private TestMachine M => fixture.Machine!;

    [Fact]
    public async Task ListAgreesWithMachinectlList()
    {
        Guest.Require();
        foreach (var all in new[] { false, true })
        {
            string[] extra = all ? ["--all"] : [];
            var ours = await Guest.ShellAsync(["list", "--no-legend", .. extra]);
            Assert.True(ours.ExitCode == 0, ours.ToString());
            var oracle = await Guest.RunAsync("machinectl", ["list", "--no-legend", "--no-pager", .. extra]);
            Assert.True(oracle.ExitCode == 0, oracle.ToString());
            // MACHINE CLASS SERVICE OS VERSION; ADDRESSES differ in how many are shown.
            Assert.Equal(FirstColumns(oracle.StdOut, 5), FirstColumns(ours.StdOut, 5));
        }
        var json = await Guest.ShellAsync("list", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.StdOut);
        Assert.Contains(doc.RootElement.EnumerateArray(), e => e.GetProperty("machine").GetString() == M.Name);
        var plain = await Guest.ShellAsync("list", "--no-legend");
        Assert.Contains(FirstColumns(plain.StdOut, 5), l => l.StartsWith(M.Name + " container systemd-nspawn debian 12", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShowAgreesWithMachinectlShow()
    {
        Guest.Require();
        // Not NetworkInterfaces: machinectl 252 prints an empty 'ai' as "[unprintable]".
        string[] props = ["Name", "Id", "Class", "Service", "Unit", "Leader", "RootDirectory", "State"];
        var ours = await Guest.ShellAsync(["show", M.Name, .. props.SelectMany(p => new[] { "-p", p })]);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var oracle = await Guest.RunAsync("machinectl", ["show", M.Name, .. props.SelectMany(p => new[] { "-p", p })]);
        Assert.True(oracle.ExitCode == 0, oracle.ToString());
        Assert.Equal(Sorted(oracle.StdOut), Sorted(ours.StdOut));
    }

    [Fact]
    public async Task StatusNamesTheLeaderUnitAndOs()
    {
        Guest.Require();
        var leader = (await Guest.RunAsync("machinectl", "show", M.Name, "-p", "Leader", "--value")).StdOut.Trim();
        var ours = await Guest.ShellAsync("status", M.Name);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.StartsWith(M.Name + "(", ours.StdOut);
        Assert.Contains($"Leader: {leader} (systemd)", ours.StdOut);
        Assert.Contains($"Unit: {M.Unit}", ours.StdOut);
        Assert.Contains("OS: Debian GNU/Linux 12", ours.StdOut);

        var json = await Guest.ShellAsync("status", M.Name, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.StdOut);
        Assert.Equal(leader, doc.RootElement.GetProperty("machine").GetProperty("leader").GetUInt32().ToString());
    }

    [Fact]
    public async Task UnitShowAgreesWithSystemctlShow()
    {
        Guest.Require();
        var props = "ActiveState,SubState,LoadState,NeedDaemonReload,DropInPaths,FragmentPath,MainPID,LimitMEMLOCK,LimitMEMLOCKSoft,DevicePolicy,DeviceAllow";
        var ours = await Guest.ShellAsync("unit", "show", M.Unit, "-p", props);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var oracle = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", props);
        Assert.True(oracle.ExitCode == 0, oracle.ToString());
        Assert.Equal(Sorted(oracle.StdOut), Sorted(ours.StdOut));
        Assert.Contains("ActiveState=active", ours.StdOut);
    }

    [Fact]
    public async Task ShellRunsOneCommandWithoutATerminal()
    {
        Guest.Require();
        var r = await Guest.ShellAsync("shell", M.Name, "/bin/echo", "hi");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("hi", r.StdOut.Trim());
    }

    [Fact]
    public async Task CopyToAndCopyFromMoveAFileBothWays()
    {
        Guest.Require();
        var token = Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync("/tmp/dbus-copy-in", token);
        var to = await Guest.ShellAsync("copy-to", M.Name, "/tmp/dbus-copy-in", "/root/copied");
        Assert.True(to.ExitCode == 0, to.ToString());
        var inside = await M.ShInsideAsync("cat /root/copied");
        Assert.Equal(token, inside.StdOut.Trim());

        await M.ShInsideAsync($"echo back-{token} > /root/back");
        File.Delete("/tmp/dbus-copy-out");
        var from = await Guest.ShellAsync("copy-from", M.Name, "/root/back", "/tmp/dbus-copy-out");
        Assert.True(from.ExitCode == 0, from.ToString());
        Assert.Equal($"back-{token}", (await File.ReadAllTextAsync("/tmp/dbus-copy-out")).Trim());
    }

    [Fact]
    public async Task BindMountsAHostDirectoryReadOnly()
    {
        Guest.Require();
        Directory.CreateDirectory("/tmp/dbus-bind");
        var token = Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync("/tmp/dbus-bind/f", token);
        var r = await Guest.ShellAsync("bind", M.Name, "/tmp/dbus-bind", "/mnt/dbus-bind", "--read-only", "--mkdir");
        Assert.True(r.ExitCode == 0, r.ToString());
        var read = await M.ShInsideAsync("cat /mnt/dbus-bind/f");
        Assert.Equal(token, read.StdOut.Trim());
        var write = await M.ShInsideAsync("touch /mnt/dbus-bind/g");
        Assert.NotEqual(0, write.ExitCode);
    }

    [Fact]
    public async Task DeviceAllowMergesWithTheTemplatesRules()
    {
        Guest.Require();
        var before = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "DeviceAllow");
        Assert.DoesNotContain("/dev/infiniband/uverbs0", before.StdOut);

        var r = await Guest.ShellAsync("device", "allow", M.Name, "/dev/infiniband/uverbs0", "--runtime");
        Assert.True(r.ExitCode == 0, r.ToString());
        var after = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "DeviceAllow");
        Assert.Contains("/dev/infiniband/uverbs0 rwm", after.StdOut);
        Assert.Contains("/dev/net/tun rwm", after.StdOut);
        Assert.DoesNotContain("/dev/infiniband/rdma_cm", after.StdOut);
        var open = await M.ShInsideAsync("exec 3<>/dev/infiniband/uverbs0 && echo OPEN-OK");
        Assert.True(open.ExitCode == 0, open.ToString());

        // No devices named: every uverbs and rdma_cm node the discovery finds, never an empty list.
        var all = await Guest.ShellAsync("device", "allow", M.Name, "--runtime", "--json");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Contains("/dev/infiniband/rdma_cm", all.StdOut);
        var merged = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "DeviceAllow");
        Assert.Contains("/dev/infiniband/rdma_cm rwm", merged.StdOut);
        Assert.Contains("/dev/infiniband/uverbs0 rwm", merged.StdOut);
        Assert.Contains("/dev/net/tun rwm", merged.StdOut);
    }

    [Fact]
    public async Task MemlockSetWritesOurDropInAndSystemdSeesItAfterTheReload()
    {
        Guest.Require();
        var r = await Guest.ShellAsync("memlock", "set", M.Name, "64M");
        Assert.True(r.ExitCode == 0, r.ToString());
        var value = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "LimitMEMLOCK", "--value");
        Assert.Equal("67108864", value.StdOut.Trim());
        var reload = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "NeedDaemonReload", "--value");
        Assert.Equal("no", reload.StdOut.Trim());
        var dropIns = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "DropInPaths", "--value");
        Assert.Contains("60-nspawn-native.conf", dropIns.StdOut);

        var back = await Guest.ShellAsync("memlock", "set", M.Name, "infinity");
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Equal("infinity", (await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "LimitMEMLOCK", "--value")).StdOut.Trim());
    }

    [Fact]
    public async Task MemlockShowReportsTheUnitAndTheLeader()
    {
        Guest.Require();
        var r = await Guest.ShellAsync("memlock", "show", M.Name, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.StdOut);
        var leader = (await Guest.RunAsync("machinectl", "show", M.Name, "-p", "Leader", "--value")).StdOut.Trim();
        Assert.Equal(leader, doc.RootElement.GetProperty("leader_pid").GetUInt32().ToString());
        var line = (await File.ReadAllLinesAsync($"/proc/{leader}/limits")).Single(l => l.StartsWith("Max locked memory"));
        var fields = line["Max locked memory".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Limit(fields[0]), doc.RootElement.GetProperty("leader_limit").GetProperty("soft").GetUInt64());
        Assert.Equal(Limit(fields[1]), doc.RootElement.GetProperty("leader_limit").GetProperty("hard").GetUInt64());
        var unit = (await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "LimitMEMLOCK", "--value")).StdOut.Trim();
        Assert.Equal(Limit(unit), doc.RootElement.GetProperty("unit_limit").GetProperty("hard").GetUInt64());
    }

    [Fact]
    public async Task DaemonReloadClearsNeedDaemonReloadAfterADropInEdit()
    {
        Guest.Require();
        // systemd caches which drop-in directories exist at a reload: a new directory is not noticed, a new file
        // in a known one is. So the oracle reloads once with the directory in place, then the edit follows.
        var dir = $"/etc/systemd/system/{M.Unit}.d";
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync($"{dir}/70-dbus-test.conf", "[Service]\nEnvironment=DBUS_TEST=1\n");
        Assert.Equal(0, (await Guest.RunAsync("systemctl", "daemon-reload")).ExitCode);
        await File.WriteAllTextAsync($"{dir}/71-dbus-test.conf", "[Service]\nEnvironment=DBUS_TEST2=1\n");
        var need = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "NeedDaemonReload", "--value");
        Assert.Equal("yes", need.StdOut.Trim());
        var r = await Guest.ShellAsync("daemon-reload");
        Assert.True(r.ExitCode == 0, r.ToString());
        need = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "NeedDaemonReload", "--value");
        Assert.Equal("no", need.StdOut.Trim());
        var dropIns = await Guest.RunAsync("systemctl", "show", M.Unit, "-p", "DropInPaths", "--value");
        Assert.Contains("71-dbus-test.conf", dropIns.StdOut);
    }

    private static ulong Limit(string s) => s is "unlimited" or "infinity" ? ulong.MaxValue : ulong.Parse(s);

    private static List<string> Sorted(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();

    private static List<string> FirstColumns(string text, int n) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(n)))
            .Where(l => l.Length > 0).Order(StringComparer.Ordinal).ToList();
}
