namespace NspawnNative.NativeTests.Dbus;

/// <summary>start, kill, reboot, terminate, poweroff, enable and disable through nspawn-native, each observed with
/// machinectl and systemctl.</summary>
public sealed class MachineLifecycleTests
{
    [Fact]
    public async Task StartKillRebootTerminateAndPoweroffAreSeenByMachinectl()
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync("dbus-life");

        var start = await Guest.ShellAsync("start", m.Name);
        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Contains("job done", start.StdErr);
        // start returns only once machined lists the machine.
        Assert.True(await m.IsKnownAsync(), "machined does not list the machine after 'start' returned");

        // kill: SIGRTMIN+4 to the leader is the container's poweroff request.
        await WaitUntilBootedAsync(m);
        var kill = await Guest.ShellAsync("kill", m.Name, "--kill-whom", "leader", "--signal", "RTMIN+4");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        await WaitAsync(async () => !await m.IsKnownAsync(), "the machine to go after kill RTMIN+4");

        start = await Guest.ShellAsync("start", m.Name);
        Assert.True(start.ExitCode == 0, start.ToString());
        await WaitUntilBootedAsync(m);
        var leader = await LeaderAsync(m);
        var reboot = await Guest.ShellAsync("reboot", m.Name);
        Assert.True(reboot.ExitCode == 0, reboot.ToString());
        await WaitAsync(async () => await m.IsKnownAsync() && await LeaderAsync(m) is { Length: > 0 } l && l != leader,
            "the machine to come back with a new leader after reboot");

        var terminate = await Guest.ShellAsync("terminate", m.Name);
        Assert.True(terminate.ExitCode == 0, terminate.ToString());
        await WaitAsync(async () => !await m.IsKnownAsync(), "the machine to go after terminate");
        await Guest.RunAsync("systemctl", "reset-failed", m.Unit);

        start = await Guest.ShellAsync("start", m.Name);
        Assert.True(start.ExitCode == 0, start.ToString());
        await WaitUntilBootedAsync(m);
        var poweroff = await Guest.ShellAsync("poweroff", m.Name);
        Assert.True(poweroff.ExitCode == 0, poweroff.ToString());
        // poweroff waits until machined forgets the machine.
        Assert.False(await m.IsKnownAsync(), "machined still lists the machine after 'poweroff' returned");
    }

    [Fact]
    public async Task StartOfAMissingImageFailsWithTheJobResult()
    {
        Guest.Require();
        var r = await Guest.ShellAsync("start", "dbus-no-such-image");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("job result 'failed'", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
        await Guest.RunAsync("systemctl", "reset-failed", "systemd-nspawn@dbus-no-such-image.service");
    }

    [Fact]
    public async Task EnableAndDisableAreSeenBySystemctlIsEnabled()
    {
        Guest.Require();
        const string name = "dbus-boot";
        var unit = $"systemd-nspawn@{name}.service";
        try
        {
            var enable = await Guest.ShellAsync("enable", name);
            Assert.True(enable.ExitCode == 0, enable.ToString());
            Assert.Equal("enabled", (await Guest.RunAsync("systemctl", "is-enabled", unit)).StdOut.Trim());
            Assert.Equal("enabled", (await Guest.RunAsync("systemctl", "is-enabled", "machines.target")).StdOut.Trim());

            var disable = await Guest.ShellAsync("disable", name);
            Assert.True(disable.ExitCode == 0, disable.ToString());
            Assert.Equal("disabled", (await Guest.RunAsync("systemctl", "is-enabled", unit)).StdOut.Trim());
        }
        finally
        {
            await Guest.RunAsync("systemctl", "disable", unit);
        }
    }

    [Fact]
    public async Task VerbsOnAMachineThatIsNotRunningSayNoSuchMachine()
    {
        Guest.Require();
        var r = await Guest.ShellAsync("status", "dbus-absent");
        Assert.Equal(1, r.ExitCode);
        // stderr may carry the journal's "<3>" prefix when it is not a terminal.
        Assert.Contains("No machine 'dbus-absent'", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
    }

    private static async Task<string> LeaderAsync(TestMachine m) =>
        (await Guest.RunAsync("machinectl", "show", m.Name, "-p", "Leader", "--value")).StdOut.Trim();

    private static async Task WaitUntilBootedAsync(TestMachine m) =>
        await WaitAsync(async () => (await Guest.RunAsync("systemctl", ["-M", m.Name, "is-system-running"], TimeSpan.FromSeconds(30))).StdOut.Trim()
            is "running" or "degraded", "the machine's systemd to come up");

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(500);
        }
        Assert.Fail($"timed out waiting for {what}");
    }
}
