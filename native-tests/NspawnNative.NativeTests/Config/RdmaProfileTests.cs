namespace NspawnNative.NativeTests.Config;

/// <summary>
/// 'rdma profile' (with our unit drop-in) and 'container memlock'/'container term' take effect on a real container
/// start: the container's PID 1, the nspawn process and a service inside have no memlock limit, TERM is set for
/// logins, and the device rule we asked for opens uverbs0.
/// </summary>
public sealed class RdmaProfileTests
{
    [Fact]
    public async Task TheProfileAndTheContainerFilesTakeEffectOnStart()
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync("cfg-profile", nspawnFile: null);

        var dry = await Guest.ShellAsync("rdma", "profile", m.Name, "--host-network", "--private-users-off", "--device-allow", "char-infiniband_verbs rw", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("+LimitMEMLOCK=infinity", dry.StdOut);
        Assert.False(File.Exists($"/etc/systemd/nspawn/{m.Name}.nspawn"), "a dry run wrote the .nspawn file");

        var apply = await Guest.ShellAsync("rdma", "profile", m.Name, "--host-network", "--private-users-off", "--device-allow", "char-infiniband_verbs rw");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var again = await Guest.ShellAsync("rdma", "profile", m.Name, "--host-network", "--private-users-off", "--device-allow", "char-infiniband_verbs rw");
        Assert.True(again.ExitCode == 0 && again.StdOut.Contains("nothing to change"), again.ToString());
        var validate = await Guest.ShellAsync("nspawn", "validate", m.Name);
        Assert.True(validate.ExitCode == 0, validate.ToString());

        foreach (var args in new[] { new[] { "container", "memlock", m.Name }, ["container", "term", m.Name] })
        {
            var r = await Guest.ShellAsync(args);
            Assert.True(r.ExitCode == 0, r.ToString());
        }

        // TODO (config): the plan has no daemon-reload step yet (the Systemd area adds D-Bus steps); the oracle reloads.
        Assert.Equal(0, (await Guest.RunAsync("systemctl", "daemon-reload")).ExitCode);
        await m.StartAsync();

        var leader = (await Guest.RunAsync("machinectl", "show", m.Name, "-p", "Leader", "--value")).StdOut.Trim();
        Assert.Matches(@"Max locked memory\s+unlimited\s+unlimited", await File.ReadAllTextAsync($"/proc/{leader}/limits"));
        var mainPid = (await Guest.RunAsync("systemctl", "show", m.Unit, "-p", "MainPID", "--value")).StdOut.Trim();
        Assert.Matches(@"Max locked memory\s+unlimited\s+unlimited", await File.ReadAllTextAsync($"/proc/{mainPid}/limits"));

        var inside = await m.ShInsideAsync("grep 'Max locked memory' /proc/self/limits");
        Assert.True(inside.ExitCode == 0, inside.ToString());
        Assert.Matches(@"Max locked memory\s+unlimited\s+unlimited", inside.StdOut);

        var term = await m.ShInsideAsync("systemctl show container-getty@1.service -p Environment --value");
        Assert.Contains("TERM=xterm-256color", term.StdOut);

        var open = await m.ShInsideAsync("exec 3<>/dev/infiniband/uverbs0 && echo OPEN-OK");
        Assert.True(open.ExitCode == 0 && open.StdOut.Contains("OPEN-OK"), open.ToString());
    }
}
