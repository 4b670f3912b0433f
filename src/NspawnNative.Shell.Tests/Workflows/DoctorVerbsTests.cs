using System.Text.Json;

namespace NspawnNative.Shell.Tests.Workflows;

/// <summary>
/// The doctor and rdma enable/disable verbs end to end in-process, on a temporary --root with a sysfs tree of one
/// soft-RoCE device (no bus: --root plans files only and skips what needs systemd).
/// </summary>
public sealed class DoctorVerbsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nn-workflows-").FullName;

    public DoctorVerbsTests()
    {
        Write("/sys/class/infiniband/rxe0/node_type", "1: CA\n");
        Write("/sys/class/infiniband/rxe0/ports/1/state", "4: ACTIVE\n");
        Write("/sys/class/infiniband/rxe0/ports/1/link_layer", "Ethernet\n");
        Write("/sys/class/infiniband/rxe0/ports/1/gids/0", "fe80:0000:0000:0000:5054:00ff:fe12:3456\n");
        Write("/sys/class/infiniband_verbs/uverbs0/ibdev", "rxe0\n");
        Write("/sys/class/infiniband_verbs/uverbs0/dev", "231:192\n");
        Write("/var/lib/machines/m1/etc/os-release", "ID=debian\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_root + path)!);
        File.WriteAllText(_root + path, text);
    }

    private Task<ShellHarness.Result> RunAsync(params string[] args) =>
        ShellHarness.RunAsync([.. args, "--root", _root, "--sysfs-root", _root + "/sys", "--dev-root", _root + "/dev"]);

    [Fact]
    public async Task DoctorPrintsOneLinePerCheckWithItsFixAndFailsWhenOneFails()
    {
        var r = await RunAsync("doctor", "m1");
        Assert.Equal(1, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("fail  host.uverbs-nodes", StringComparison.Ordinal)
                                    && l.Contains("'/dev/infiniband/uverbs0' is missing") && l.Contains("(fix: "));
        Assert.Contains(lines, l => l.StartsWith("fail  config.capability", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ok    host.devices", StringComparison.Ordinal));
        Assert.Matches(@"^\d+ checks: ", lines[^1]);
    }

    [Fact]
    public async Task DoctorJsonHasEveryCheckWithSnakeCaseFields()
    {
        var r = await RunAsync("doctor", "m1", "--json");
        Assert.Equal(1, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("m1", doc.RootElement.GetProperty("machine").GetString());
        Assert.True(doc.RootElement.GetProperty("failed").GetBoolean());
        var checks = doc.RootElement.GetProperty("checks").EnumerateArray().ToList();
        var bind = checks.Single(c => c.GetProperty("check").GetString() == "config.bind");
        Assert.Equal("fail", bind.GetProperty("status").GetString());
        Assert.Contains("Bind=/dev/infiniband/", bind.GetProperty("fix").GetString());
        Assert.Contains(checks, c => c.GetProperty("status").GetString() == "skipped");
    }

    [Fact]
    public async Task EnableThenDoctorPassesTheConfigurationAndDisableTakesItBack()
    {
        var dry = await RunAsync("rdma", "enable", "m1", "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("+++ b/etc/systemd/nspawn/m1.nspawn", dry.Out);
        Assert.False(File.Exists(_root + "/etc/systemd/nspawn/m1.nspawn"));

        var enable = await RunAsync("rdma", "enable", "m1");
        Assert.Contains("created '/etc/systemd/nspawn/m1.nspawn'", enable.Out);
        Assert.Matches(@"(?m)^ok\s+config\.capability\s", enable.Out);
        Assert.Matches(@"(?m)^ok\s+config\.unit-memlock\s", enable.Out);
        var again = await RunAsync("rdma", "enable", "m1");
        Assert.Contains("nothing to change", again.Out);

        var disable = await RunAsync("rdma", "disable", "m1");
        Assert.Equal(0, disable.ExitCode);
        Assert.False(File.Exists(_root + "/etc/systemd/nspawn/m1.nspawn"));
        Assert.False(File.Exists(_root + "/etc/systemd/system/systemd-nspawn@m1.service.d/60-nspawn-native.conf"));
    }

    [Fact]
    public async Task DoctorRefusesSelftestWithoutAMachine()
    {
        var r = await RunAsync("doctor", "--selftest");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--selftest needs a machine name", r.Err);
    }
}
