using NspawnNative.Shell.Commands.Machines;

namespace NspawnNative.Shell.Tests.Dbus;

public class ImageVerbTests
{
    private const string NoBus = "unix:path=/nonexistent/bus";

    public static TheoryData<string[]> VerbsThatNeedTheBus() => new()
    {
        { new[] { "list-images" } },
        { new[] { "image-status", "web" } },
        { new[] { "show-image", "web" } },
        { new[] { "clone", "web", "web2" } },
        { new[] { "rename", "web", "web2" } },
        { new[] { "read-only", "web" } },
        { new[] { "read-only", "web", "no" } },
        { new[] { "remove", "web", "db" } },
        { new[] { "set-limit", "web", "10G" } },
        { new[] { "set-limit", "infinity" } },
        { new[] { "clean", "--all" } },
        { new[] { "import-tar", "/etc/hostname", "web" } },
        { new[] { "import-raw", "/etc/hostname", "web" } },
        { new[] { "import-fs", "/etc", "web" } },
        { new[] { "export-tar", "web", "/tmp/nn-export-test.tar" } },
        { new[] { "export-raw", "web", "/tmp/nn-export-test.raw" } },
        { new[] { "pull-tar", "http://127.0.0.1/a.tar", "--verify", "no" } },
        { new[] { "pull-raw", "https://example.org/a.raw", "a" } },
        { new[] { "list-transfers" } },
        { new[] { "cancel-transfer", "3" } },
    };

    [Theory]
    [MemberData(nameof(VerbsThatNeedTheBus))]
    public async Task Without_a_bus_every_verb_fails_with_one_line_and_exit_1(string[] verb)
    {
        Assert.SkipUnless(File.Exists("/etc/hostname"), "needs /etc/hostname as a readable file");
        var r = await ShellHarness.RunAsync([.. verb, "--bus", NoBus]);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: No D-Bus bus at '{NoBus}': the socket does not exist; check the address given with --bus.",
            r.Err.Trim());
        Assert.Equal("", r.Out);
    }

    [Theory]
    [InlineData("import-tar", "/nonexistent/x.tar", "web", "error: Cannot read '/nonexistent/x.tar': it does not exist; check the path and its permissions.")]
    [InlineData("import-raw", "/tmp", "web", "error: Cannot read '/tmp': it is a directory; give a tarball or image file.")]
    [InlineData("import-fs", "/nonexistent", "web", "error: Cannot open directory '/nonexistent': it does not exist; give a readable directory tree.")]
    [InlineData("import-fs", "/etc/hostname", "web", "error: Cannot open directory '/etc/hostname': it is not a directory; give a readable directory tree.")]
    [InlineData("export-tar", "web", "/nonexistent/out.tar", "error: Cannot write '/nonexistent/out.tar': its directory '/nonexistent' does not exist; create it first.")]
    [InlineData("clone", "web", "a/b", "error: Invalid machine name 'a/b': it contains '/'; use 1-64 letters, digits, '-', '_' or '.'.")]
    [InlineData("import-tar", "/etc/hostname", "..", "error: Invalid machine name '..': it starts or ends with '.'; use 1-64 letters, digits, '-', '_' or '.'.")]
    [InlineData("pull-tar", "ftp://host/a.tar", "a", "error: Invalid URL 'ftp://host/a.tar': importd pulls only http, https and file URLs; give a full URL.")]
    public async Task Bad_names_and_paths_are_refused_before_the_bus_is_touched(string verb, string a, string b, string expected)
    {
        var r = await ShellHarness.RunAsync([verb, a, b, "--bus", NoBus]);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(expected, r.Err.Trim());
    }

    [Theory]
    [InlineData(new[] { "set-limit", "web", "12Q" }, "Cannot parse size '12Q'")]
    [InlineData(new[] { "read-only", "web", "maybe" }, "Cannot parse 'maybe' as a boolean")]
    [InlineData(new[] { "cancel-transfer", "x1" }, "Cannot parse transfer id 'x1'")]
    [InlineData(new[] { "pull-tar", "http://h/a.tar", "--verify", "sometimes" }, "sometimes")]
    [InlineData(new[] { "export-tar", "web", "/tmp/a.tar", "--format", "lz4" }, "lz4")]
    public async Task Unparseable_arguments_are_usage_errors(string[] args, string expected)
    {
        var r = await ShellHarness.RunAsync([.. args, "--bus", NoBus]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(0UL, "0B")]
    [InlineData(1023UL, "1023B")]
    [InlineData(1024UL, "1.0K")]
    [InlineData(1536UL, "1.5K")]
    [InlineData(1610612736UL, "1.5G")]
    [InlineData(ulong.MaxValue, null)]
    public void Sizes_print_as_systemd_prints_them(ulong bytes, string? expected) => Assert.Equal(expected, ImageFormat.Bytes(bytes));

    [Theory]
    [InlineData("10G", 10UL << 30)]
    [InlineData("512M", 512UL << 20)]
    [InlineData("1.5K", 1536UL)]
    [InlineData("4096", 4096UL)]
    [InlineData("2T", 2UL << 40)]
    [InlineData("infinity", ulong.MaxValue)]
    [InlineData("-", ulong.MaxValue)]
    public void Sizes_parse_with_base_1024_suffixes(string text, ulong expected)
    {
        Assert.True(ImageFormat.TryParseSize(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12Q")]
    [InlineData("-5")]
    [InlineData("G")]
    public void Bad_sizes_do_not_parse(string text) => Assert.False(ImageFormat.TryParseSize(text, out _));

    [Fact]
    public void An_unset_timestamp_prints_nothing() => Assert.Null(ImageFormat.Timestamp(0));

    [Fact]
    public void A_timestamp_prints_weekday_date_time_and_zone()
    {
        var text = ImageFormat.Timestamp(1_700_000_000_000_000);
        Assert.NotNull(text);
        Assert.Matches(@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+$", text);
    }
}
