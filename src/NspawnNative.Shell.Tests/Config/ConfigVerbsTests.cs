using System.Text.Json;

namespace NspawnNative.Shell.Tests.Config;

/// <summary>The config verbs one-shot under --root on a temporary directory.</summary>
public sealed class ConfigVerbsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nn-shell-config-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string At(string path) => _root + path;

    private Task<ShellHarness.Result> Run(params string[] args) => ShellHarness.RunAsync([.. args, "--root", _root]);

    private void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(At(path))!);
        File.WriteAllText(At(path), text);
    }

    [Fact]
    public async Task Set_add_and_unset_edit_the_trusted_file_and_dry_run_writes_nothing()
    {
        var dry = await Run("nspawn", "set", "web", "Exec.LimitMEMLOCK=infinity", "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("+++ b/etc/systemd/nspawn/web.nspawn", dry.Out);
        Assert.Contains("+LimitMEMLOCK=infinity", dry.Out);
        Assert.False(File.Exists(At("/etc/systemd/nspawn/web.nspawn")));

        Assert.Equal(0, (await Run("nspawn", "set", "web", "Exec.LimitMEMLOCK=infinity")).ExitCode);
        Assert.Equal(0, (await Run("nspawn", "add", "web", "Files.Bind=/a", "Files.Bind=/b")).ExitCode);
        Assert.Equal(0, (await Run("nspawn", "unset", "web", "Files.Bind=/a")).ExitCode);
        Assert.Equal("[Exec]\nLimitMEMLOCK=infinity\n\n[Files]\nBind=/b\n", File.ReadAllText(At("/etc/systemd/nspawn/web.nspawn")));

        var again = await Run("nspawn", "set", "web", "Exec.LimitMEMLOCK=infinity");
        Assert.Contains("nothing to change", again.Out);
    }

    [Fact]
    public async Task A_bad_setting_is_refused_on_one_line_with_exit_1()
    {
        var r = await Run("nspawn", "set", "web", "Exec.LimitMEMLOCK=lots");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains("not a limit", r.Err);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData(".hidden.")]
    public async Task A_bad_machine_name_is_refused_before_anything_is_written(string name)
    {
        var r = await Run("nspawn", "set", name, "Exec.Boot=yes");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Invalid machine name", r.Err);
        Assert.False(Directory.Exists(At("/etc")));
    }

    [Fact]
    public async Task Show_reports_the_effective_file_its_trust_and_ignored_settings()
    {
        Write("/var/lib/machines/web.nspawn", "[Exec]\nBoot=yes\nLimitMEMLOCK=infinity\n");
        var r = await Run("nspawn", "show", "web", "--json");
        Assert.Equal(0, r.ExitCode);
        var json = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("/var/lib/machines/web.nspawn", json.GetProperty("file").GetString());
        Assert.False(json.GetProperty("trusted").GetBoolean());
        var memlock = json.GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "LimitMEMLOCK");
        Assert.True(memlock.GetProperty("ignored").GetBoolean());

        var text = await Run("nspawn", "show", "web");
        Assert.Contains("privileged, ignored", text.Out);
    }

    [Fact]
    public async Task Validate_exits_1_on_errors_and_0_on_warnings_only()
    {
        Write("/etc/systemd/nspawn/bad.nspawn", "[Exec]\nBoot=perhaps\n");
        Write("/etc/systemd/nspawn/ok.nspawn", "[Exec]\nboot=yes\n");
        var bad = await Run("nspawn", "validate", "bad");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("/etc/systemd/nspawn/bad.nspawn:2:6: error:", bad.Out);
        var ok = await Run("nspawn", "validate", "ok");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("0 errors, 1 warning.", ok.Out);
        var byPath = await Run("nspawn", "validate", At("/etc/systemd/nspawn/bad.nspawn"));
        Assert.Equal(1, byPath.ExitCode);
    }

    [Fact]
    public async Task Rdma_profile_applies_once_then_has_nothing_to_change()
    {
        Directory.CreateDirectory(At("/proc/self"));
        File.WriteAllText(At("/proc/self/mountinfo"), "37 23 0:32 / /dev/hugepages rw,relatime shared:14 - hugetlbfs hugetlbfs rw,pagesize=2M\n");
        var first = await ShellHarness.RunAsync(["rdma", "profile", "node1", "--host-network", "--root", _root, "--dev-root", At("/dev")]);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("created '/etc/systemd/nspawn/node1.nspawn'", first.Out);
        var nspawn = File.ReadAllText(At("/etc/systemd/nspawn/node1.nspawn"));
        Assert.Contains("Bind=/dev/hugepages\n", nspawn);
        Assert.Contains("VirtualEthernet=no\n", nspawn);
        Assert.Contains("LimitMEMLOCK=infinity", File.ReadAllText(At("/etc/systemd/system/systemd-nspawn@node1.service.d/60-nspawn-native.conf")));

        var second = await ShellHarness.RunAsync(["rdma", "profile", "node1", "--host-network", "--root", _root, "--dev-root", At("/dev")]);
        Assert.Equal("rdma profile for 'node1': nothing to change.\n", second.Out);
    }

    [Fact]
    public async Task Rdma_profile_refuses_both_hugepage_options()
    {
        var r = await Run("rdma", "profile", "node1", "--hugepages", "--no-hugepages");
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public async Task Unit_dropins_shows_the_effective_rules()
    {
        Write("/usr/lib/systemd/system/systemd-nspawn@.service", "[Service]\nDevicePolicy=closed\nDeviceAllow=char-pts rw\n");
        Write("/etc/systemd/system/systemd-nspawn@web.service.d/10-a.conf", "[Service]\nDeviceAllow=/dev/infiniband/uverbs0\nLimitMEMLOCK=infinity\n");
        var r = await Run("unit", "dropins", "web", "--json");
        Assert.Equal(0, r.ExitCode);
        var json = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(["char-pts rw", "/dev/infiniband/uverbs0 rwm"], json.GetProperty("device_allow").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("infinity", json.GetProperty("limit_memlock").GetString());
        Assert.Equal(["/etc/systemd/system/systemd-nspawn@web.service.d/10-a.conf"], json.GetProperty("drop_in_paths").EnumerateArray().Select(e => e.GetString()));
        var text = await Run("unit", "dropins", "web");
        Assert.Contains("2 DeviceAllow entries.", text.Out);
    }

    [Fact]
    public async Task Container_term_and_memlock_write_under_the_machine_root()
    {
        Directory.CreateDirectory(At("/var/lib/machines/web"));
        Assert.Equal(0, (await Run("container", "term", "web", "--term", "vt220")).ExitCode);
        Assert.Equal(0, (await Run("container", "memlock", "web", "1G")).ExitCode);
        Assert.Contains("Environment=TERM=vt220", File.ReadAllText(At("/var/lib/machines/web/etc/systemd/system/container-getty@.service.d/term.conf")));
        Assert.Contains("DefaultLimitMEMLOCK=1G", File.ReadAllText(At("/var/lib/machines/web/etc/systemd/system.conf.d/60-nspawn-native-memlock.conf")));
        Assert.Contains("memlock    1048576", File.ReadAllText(At("/var/lib/machines/web/etc/security/limits.d/60-nspawn-native-memlock.conf")));
        var missing = await Run("container", "term", "nosuch");
        Assert.Equal(1, missing.ExitCode);
    }
}
