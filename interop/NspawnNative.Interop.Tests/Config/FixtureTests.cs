using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Tests.Config;

public class FixtureTests
{
    private static string FixturePath(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static TheoryData<string> AllFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "nspawn", "units" })
        {
            foreach (var file in Directory.EnumerateFiles(FixturePath(dir)).Order(StringComparer.Ordinal))
                data.Add($"{dir}/{Path.GetFileName(file)}");
        }
        return data;
    }

    // The unit fuzz inputs start with a type word for systemd's fuzz driver; the INI text follows it.
    private static string IniText(string relative)
    {
        var text = File.ReadAllText(FixturePath(relative));
        bool fuzz = relative.StartsWith("units/", StringComparison.Ordinal) && text.StartsWith("service\n", StringComparison.Ordinal);
        return fuzz ? text["service\n".Length..] : text;
    }

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void Every_fixture_round_trips_byte_for_byte(string relative)
    {
        var bytes = File.ReadAllBytes(FixturePath(relative));
        var doc = IniDocument.Parse(File.ReadAllText(FixturePath(relative)), relative);
        Assert.Equal(bytes, System.Text.Encoding.UTF8.GetBytes(doc.Render()));
        var ini = IniText(relative);
        Assert.Equal(ini, IniDocument.Parse(ini, relative).Render());
    }

    [Fact]
    public void Basic_config_warns_about_the_three_misspelt_keys_with_their_lines()
    {
        var doc = IniDocument.Parse(IniText("nspawn/basic-config"), "basic-config");
        var unknown = NspawnValidator.Validate(doc, trusted: true).Where(d => d.Message.StartsWith("Unknown key", StringComparison.Ordinal)).ToList();
        Assert.Equal([("PrivateUser", 14), ("SystemCallFilters", 16), ("MacVLAN", 32)],
            unknown.Select(d => (d.Message.Split('\'')[1], d.Line)));
        Assert.All(unknown, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
    }

    [Fact]
    public void Basic_config_flags_the_values_systemd_rejects()
    {
        var doc = IniDocument.Parse(IniText("nspawn/basic-config"), "basic-config");
        var errors = NspawnValidator.Validate(doc, trusted: true).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Contains(errors, d => d.Line == 9 && d.Message.Contains("CAP_NET"));
        Assert.Contains(errors, d => d.Line == 12 && d.Message.Contains("shy"));
        Assert.Contains(errors, d => d.Line == 34 && d.Message.Contains("Bridge"));
    }

    [Fact]
    public void Basic_config_keeps_every_line_in_order()
    {
        var text = IniText("nspawn/basic-config");
        var doc = IniDocument.Parse(text, "basic-config");
        Assert.Equal(text.Split('\n').Length - 1, doc.Entries.Count);
        Assert.Equal(["Exec", "Files", "Network"], doc.Sections);
    }

    [Fact]
    public void Oss_fuzz_13691_reports_the_empty_overlay_components_without_crashing()
    {
        var doc = IniDocument.Parse(IniText("nspawn/oss-fuzz-13691"), "oss-fuzz-13691");
        Assert.Equal("/::", doc.Get("Files", "Overlay").Single().Value);
        var d = Assert.Single(NspawnValidator.Validate(doc, trusted: true));
        Assert.Equal((2, DiagnosticSeverity.Error), (d.Line, d.Severity));
        Assert.Contains("2 empty path components", d.Message);
    }

    [Fact]
    public void Gb300_rack_keeps_its_binds_in_order_and_repetition()
    {
        var doc = IniDocument.Parse(IniText("nspawn/gb300-rack.nspawn"), "gb300-rack.nspawn");
        var settings = NspawnSettingsFile.Effective(doc, trusted: true);
        Assert.Equal(5, settings.Single(s => s.Name == "BindReadOnly").Values.Count);
        var binds = settings.Single(s => s.Name == "Bind").Values;
        Assert.Equal(20, binds.Count);
        Assert.Single(binds, b => ConfigValues.SplitBind(b) is var p && p.Source != p.Destination);
        Assert.DoesNotContain(NspawnValidator.Validate(doc, trusted: true), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("@keyring bpf perf_event_open", doc.Get("Exec", "SystemCallFilter").Single().Value);
    }

    [Fact]
    public void The_template_has_seven_device_rules_and_keeps_its_placeholders()
    {
        var doc = IniDocument.Parse(IniText("units/systemd-nspawn@.service.in"), "systemd-nspawn@.service.in");
        Assert.Equal(7, doc.Get("Service", "DeviceAllow").Count);
        Assert.Equal("closed", doc.Get("Service", "DevicePolicy").Single().Value);
        Assert.StartsWith("@bindir@/systemd-nspawn", doc.Get("Service", "ExecStart").Single().Value);
        var bare = Assert.Single(doc.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, bare.Severity);
        Assert.Equal("@SERVICE_WATCHDOG@\n", doc.Entries[bare.Line - 1].Text);
    }

    [Fact]
    public void The_gb300_override_has_21_device_rules_and_its_exec_lines_verbatim()
    {
        var doc = IniDocument.Parse(IniText("units/gb300-rack-override.conf"), "gb300-rack-override.conf");
        var rules = doc.Get("Service", "DeviceAllow").Select(e => DeviceAllowEntry.Parse(e.Value!)!).ToList();
        Assert.Equal(21, rules.Count);
        Assert.Equal(4, rules.Count(r => r.Device.StartsWith("char-", StringComparison.Ordinal)));
        Assert.StartsWith("-/usr/bin/machinectl", doc.Get("Service", "ExecStartPre")[0].Value);
        Assert.Contains("'/usr/bin/mountpoint -q", doc.Get("Service", "ExecStartPre")[2].Value);
        Assert.DoesNotContain(UnitValidator.Validate(doc), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Directives_service_has_every_section_and_empty_values_reset_instead_of_naming_devices()
    {
        var doc = IniDocument.Parse(IniText("units/directives.service"), "directives.service");
        var counts = doc.Assignments.GroupBy(a => a.Section!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal((100, 5, 234), (counts["Unit"], counts["Install"], counts["Service"]));
        Assert.All(doc.Assignments, a => Assert.Equal("", a.Value));
        Assert.Null(DeviceAllowEntry.Parse(doc.Get("Service", "DeviceAllow").Single().Value!));
        Assert.Empty(UnitValidator.Validate(doc));
    }

    [Fact]
    public void Machined_service_repeats_keys_with_resets_in_between()
    {
        var doc = IniDocument.Parse(IniText("units/systemd-machined.service"), "systemd-machined.service");
        Assert.Equal(["true", "", "|!false"], doc.Get("Unit", "ConditionNull").Select(e => e.Value));
        Assert.Equal(["%t/mypid", ""], doc.Get("Service", "PIDFile").Select(e => e.Value));
        Assert.Empty(doc.Diagnostics);
    }

    [Fact]
    public void Oss_fuzz_8064_reports_the_out_of_range_signal()
    {
        var doc = IniDocument.Parse(IniText("units/oss-fuzz-8064"), "oss-fuzz-8064");
        var d = Assert.Single(UnitValidator.Validate(doc));
        Assert.Equal((2, 24, DiagnosticSeverity.Error), (d.Line, d.Column, d.Severity));
        Assert.Contains("RTMIN+2147483644", d.Message);
    }

    [Fact]
    public void Github_19178_parses_cleanly()
    {
        var doc = IniDocument.Parse(IniText("units/github-19178"), "github-19178");
        Assert.Equal("passwd.hashed-password.root", doc.Get("Service", "LoadCredential").Single().Value);
        Assert.Empty(UnitValidator.Validate(doc));
    }
}
