using NspawnNative.Interop.Config;
using NspawnNative.Interop.Tests.Workflows;

namespace NspawnNative.Interop.Tests.Config;

public class UnitDropInViewTests
{
    private static string Template => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "units", "systemd-nspawn@.service.in"));

    [Fact]
    public void The_template_alone_gives_its_seven_rules_and_closed_policy()
    {
        using var t = new TempRoot();
        t.Write("/usr/lib/systemd/system/systemd-nspawn@.service", Template);
        var view = UnitDropInView.Load(t.Paths, "m");
        Assert.Equal("/usr/lib/systemd/system/systemd-nspawn@.service", view.UnitFile!.Path);
        Assert.Equal(7, view.DeviceAllow.Count);
        Assert.Equal(new DeviceAllowEntry("/dev/net/tun", "rwm"), view.DeviceAllow[0]);
        Assert.Equal("closed", view.DevicePolicy);
        Assert.Null(view.LimitMemlock);
    }

    [Fact]
    public void Drop_ins_apply_in_file_name_order_across_directories_and_higher_directories_mask()
    {
        using var t = new TempRoot();
        t.Write("/usr/lib/systemd/system/systemd-nspawn@.service", Template);
        t.Write("/usr/lib/systemd/system/service.d/10-all.conf", "[Service]\nLimitMEMLOCK=1M\n");
        t.Write("/etc/systemd/system/systemd-nspawn@.service.d/20-every.conf", "[Service]\nDeviceAllow=/dev/a rw\n");
        t.Write("/run/systemd/system/systemd-nspawn@m.service.d/30-run.conf", "[Service]\nDeviceAllow=/dev/b\nLimitMEMLOCK=infinity\n");
        t.Write("/etc/systemd/system/systemd-nspawn@m.service.d/30-run.conf", "[Service]\nDeviceAllow=/dev/c r\n");
        t.Write("/run/systemd/system.control/systemd-nspawn@m.service.d/50-DeviceAllow.conf", "[Service]\nDeviceAllow=\nDeviceAllow=/dev/d rw\n");
        t.Write("/etc/systemd/system/systemd-.service.d/60-prefix.conf", "[Service]\nDeviceAllow=/dev/e rw\n");
        t.Write("/etc/systemd/system/systemd-nspawn@m.service.d/note.txt", "not a drop-in");
        var view = UnitDropInView.Load(t.Paths, "m");
        Assert.Equal(
        [
            "/usr/lib/systemd/system/service.d/10-all.conf",
            "/etc/systemd/system/systemd-nspawn@.service.d/20-every.conf",
            "/etc/systemd/system/systemd-nspawn@m.service.d/30-run.conf",
            "/run/systemd/system.control/systemd-nspawn@m.service.d/50-DeviceAllow.conf",
            "/etc/systemd/system/systemd-.service.d/60-prefix.conf",
        ], view.DropIns.Select(d => d.Path));
        Assert.Equal(["/dev/d rw", "/dev/e rw"], view.DeviceAllow.Select(d => d.ToString()));
        Assert.Equal("1M", view.LimitMemlock);
    }

    [Fact]
    public void An_empty_assignment_resets_memlock_and_policy()
    {
        using var t = new TempRoot();
        t.Write("/usr/lib/systemd/system/systemd-nspawn@.service", "[Service]\nDevicePolicy=closed\nLimitMEMLOCK=8M\n");
        t.Write("/etc/systemd/system/systemd-nspawn@m.service.d/a.conf", "[Service]\nDevicePolicy=\nLimitMEMLOCK=\n");
        var view = UnitDropInView.Load(t.Paths, "m");
        Assert.Equal(("auto", (string?)null), (view.DevicePolicy, view.LimitMemlock));
    }

    [Fact]
    public void An_instance_unit_file_beats_the_template()
    {
        using var t = new TempRoot();
        t.Write("/usr/lib/systemd/system/systemd-nspawn@.service", Template);
        t.Write("/etc/systemd/system/systemd-nspawn@m.service", "[Service]\nDevicePolicy=strict\n");
        Assert.Equal("strict", UnitDropInView.Load(t.Paths, "m").DevicePolicy);
    }

    [Theory]
    [InlineData("systemd-nspawn@m.service", new[] { "systemd-nspawn@m.service.d", "systemd-nspawn@.service.d", "systemd-.service.d" })]
    [InlineData("systemd-nspawn@a-b.service", new[] { "systemd-nspawn@a-b.service.d", "systemd-nspawn@.service.d", "systemd-nspawn@a-.service.d", "systemd-.service.d" })]
    [InlineData("foo.service", new[] { "foo.service.d" })]
    public void Drop_in_directory_names_follow_systemd(string unit, string[] expected)
    {
        Assert.Equal(expected, UnitDirectories.DropInNames(unit));
    }

    [Fact]
    public void Bad_device_rules_are_reported()
    {
        var doc = IniDocument.Parse("[Service]\nDeviceAllow=/etc/passwd rw\nDeviceAllow=char-pts rx\nDevicePolicy=open\n", "d.conf");
        Assert.Equal([2, 3, 4], UnitValidator.Validate(doc).Select(d => d.Line));
    }
}
