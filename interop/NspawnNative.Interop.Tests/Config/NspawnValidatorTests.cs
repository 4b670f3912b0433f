using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Tests.Config;

public class NspawnValidatorTests
{
    private static IReadOnlyList<ConfigDiagnostic> Validate(string text, bool trusted = true) =>
        NspawnValidator.Validate(IniDocument.Parse(text, "m.nspawn"), trusted);

    [Theory]
    [InlineData("[Exec]\nBoot=yes\nLimitMEMLOCK=infinity\nCapability=CAP_IPC_LOCK CAP_NET_ADMIN\nPrivateUsers=no\n")]
    [InlineData("[Files]\nBind=/dev/infiniband/\nBind=/dev/hugepages\nBind=\n")]
    [InlineData("[Network]\nVirtualEthernet=no\nPort=tcp:8080:80\nZone=z\n")]
    [InlineData("[Exec]\nKillSignal=SIGRTMIN+3\nOOMScoreAdjust=-500\nPrivateUsers=pick\nMachineID=edbfea3309ba41ea83e2318c58a8d498\n")]
    public void Valid_files_have_no_findings(string text)
    {
        Assert.Empty(Validate(text));
    }

    [Theory]
    [InlineData("[Exec]\nboot=yes\n", "Unknown key 'boot'", DiagnosticSeverity.Warning, 2, 1)]
    [InlineData("[Exec]\nBoot=perhaps\n", "not a boolean", DiagnosticSeverity.Error, 2, 6)]
    [InlineData("[Exec]\nLimitMEMLOCK=lots\n", "not a limit", DiagnosticSeverity.Error, 2, 14)]
    [InlineData("[Exec]\nOOMScoreAdjust=2000\n", "between -1000 and 1000", DiagnosticSeverity.Error, 2, 16)]
    [InlineData("[Files]\nBind=relative\n", "not an absolute path", DiagnosticSeverity.Error, 2, 6)]
    [InlineData("[Exec]\nBoot=\n", "not a boolean", DiagnosticSeverity.Error, 2, 6)]
    [InlineData("[Mounts]\nBind=/a\n", "Unknown section", DiagnosticSeverity.Warning, 1, 1)]
    public void Findings_say_what_is_wrong_and_where(string text, string fragment, DiagnosticSeverity severity, int line, int column)
    {
        var d = Assert.Single(Validate(text));
        Assert.Contains(fragment, d.Message);
        Assert.Equal((severity, line, column), (d.Severity, d.Line, d.Column));
        Assert.EndsWith(".", d.Message);
    }

    [Fact]
    public void Privileged_settings_in_an_untrusted_file_are_flagged_as_ignored()
    {
        var text = "[Exec]\nBoot=yes\nCapability=CAP_IPC_LOCK\nLimitMEMLOCK=infinity\nPrivateUsers=no\n[Files]\nBind=/dev/infiniband\n[Network]\nZone=z\n";
        var ignored = Validate(text, trusted: false).Where(d => d.Message.Contains("privileged")).Select(d => d.Line).ToList();
        Assert.Equal([3, 4, 5, 7, 9], ignored);
        Assert.Empty(Validate(text, trusted: true));
    }

    [Fact]
    public void Lists_accumulate_with_resets_and_scalars_keep_the_last_value()
    {
        var doc = IniDocument.Parse("[Files]\nBind=/a\nBind=\nBind=/b\nBind=/c\n[Exec]\nBoot=no\nBoot=yes\n", "t");
        var settings = NspawnSettingsFile.Effective(doc, trusted: true);
        Assert.Equal(["/b", "/c"], settings.Single(s => s.Name == "Bind").Values);
        Assert.Equal(["yes"], settings.Single(s => s.Name == "Boot").Values);
    }

    [Fact]
    public void The_effective_file_is_etc_then_run_then_next_to_the_image()
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var paths = HostPaths.Live with { Root = root };
            Assert.Null(NspawnFileLocation.Find(paths, "m").Path);
            Write(root, "/var/lib/machines/m.nspawn");
            Assert.Equal(("/var/lib/machines/m.nspawn", false), Pick(NspawnFileLocation.Find(paths, "m")));
            Write(root, "/run/systemd/nspawn/m.nspawn");
            Assert.Equal(("/run/systemd/nspawn/m.nspawn", true), Pick(NspawnFileLocation.Find(paths, "m")));
            Write(root, "/etc/systemd/nspawn/m.nspawn");
            Assert.Equal(("/etc/systemd/nspawn/m.nspawn", true), Pick(NspawnFileLocation.Find(paths, "m")));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    public void Bad_machine_names_are_refused_before_any_path_is_built(string name)
    {
        Assert.Throws<InvalidInputException>(() => NspawnFileLocation.Find(HostPaths.Live with { Root = "/nonexistent" }, name));
    }

    private static (string?, bool) Pick(NspawnFileLocation l) => (l.Path, l.IsTrusted);

    private static void Write(string root, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(root + path)!);
        File.WriteAllText(root + path, "[Exec]\nBoot=yes\n");
    }
}
