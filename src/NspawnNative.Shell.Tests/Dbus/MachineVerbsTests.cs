namespace NspawnNative.Shell.Tests.Dbus;

/// <summary>The machine and unit verbs where no bus answers (this machine): one clear line each, exit 1.</summary>
public sealed class MachineVerbsTests
{
    private const string NoBus = "unix:path=/nonexistent";

    [Theory]
    [InlineData("list")]
    [InlineData("list --all --json")]
    [InlineData("status web")]
    [InlineData("show web -p Leader")]
    [InlineData("start web")]
    [InlineData("poweroff web")]
    [InlineData("stop web")]
    [InlineData("reboot web")]
    [InlineData("terminate web")]
    [InlineData("kill web --kill-whom leader --signal SIGRTMIN+4")]
    [InlineData("enable web")]
    [InlineData("disable web")]
    [InlineData("bind web /srv/data /data --read-only --mkdir")]
    [InlineData("copy-to web /etc/hostname /tmp/h")]
    [InlineData("copy-from web /etc/hostname")]
    [InlineData("shell web /bin/echo hi")]
    [InlineData("shell root@web")]
    [InlineData("unit show systemd-nspawn@web.service -p ActiveState")]
    [InlineData("daemon-reload")]
    [InlineData("device allow web /dev/infiniband/uverbs0 --runtime")]
    [InlineData("memlock show web")]
    [InlineData("memlock set web 64M")]
    public async Task Without_a_bus_each_verb_fails_with_one_line_and_exit_1(string line)
    {
        var r = await ShellHarness.RunAsync([.. line.Split(' '), "--bus", NoBus]);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Out);
        var err = r.Err.Trim();
        Assert.Single(err.Split('\n'));
        Assert.StartsWith($"error: No D-Bus bus at '{NoBus}'", err);
    }

    [Fact]
    public async Task Device_allow_without_a_device_and_without_nodes_fails_before_any_call()
    {
        var dev = Directory.CreateTempSubdirectory("nn-dev-").FullName;
        try
        {
            var r = await ShellHarness.RunAsync(["device", "allow", "web", "--dev-root", dev, "--bus", NoBus]);

            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"error: no uverbs or rdma_cm node found in '{dev}/infiniband'; name the devices to allow, or load the RDMA drivers first.", r.Err.Trim());
        }
        finally
        {
            Directory.Delete(dev, recursive: true);
        }
    }

    [Fact]
    public async Task Kill_with_an_unknown_signal_is_a_usage_error_before_any_call()
    {
        var r = await ShellHarness.RunAsync(["kill", "web", "--signal", "SIGBOGUS", "--bus", NoBus]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Unknown signal 'SIGBOGUS'", r.Err);
    }

    [Fact]
    public async Task An_invalid_machine_name_fails_before_any_call()
    {
        var r = await ShellHarness.RunAsync(["status", "../etc", "--bus", NoBus]);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: Invalid machine name '../etc'", r.Err.Trim());
    }

    [Fact]
    public async Task Shell_refuses_a_relative_program_path()
    {
        var r = await ShellHarness.RunAsync(["shell", "web", "echo", "hi", "--bus", NoBus]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/bin/echo", r.Err);
    }

    [Fact]
    public async Task Memlock_set_under_a_root_writes_our_drop_in_once_and_refuses_a_bad_value()
    {
        var root = Directory.CreateTempSubdirectory("nn-memlock-").FullName;
        try
        {
            var dropIn = Path.Combine(root, "etc/systemd/system/systemd-nspawn@web.service.d/60-nspawn-native.conf");
            var dry = await ShellHarness.RunAsync(["memlock", "set", "web", "64M", "--root", root, "--dry-run"]);
            Assert.Equal(0, dry.ExitCode);
            Assert.Contains("+LimitMEMLOCK=64M", dry.Out);
            Assert.False(File.Exists(dropIn), "a dry run wrote the drop-in");

            var set = await ShellHarness.RunAsync(["memlock", "set", "web", "64M", "--root", root]);
            Assert.True(set.ExitCode == 0, set.Err);
            Assert.Contains("LimitMEMLOCK=64M", await File.ReadAllTextAsync(dropIn));
            var again = await ShellHarness.RunAsync(["memlock", "set", "web", "64M", "--root", root]);
            Assert.Equal(0, again.ExitCode);
            Assert.Contains("nothing to change", again.Out);

            var bad = await ShellHarness.RunAsync(["memlock", "set", "web", "lots", "--root", root]);
            Assert.Equal(2, bad.ExitCode);
            Assert.StartsWith("error: Memlock value 'lots' is not valid", bad.Err.Trim());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
