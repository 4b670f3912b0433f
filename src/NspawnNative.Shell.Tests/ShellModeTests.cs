namespace NspawnNative.Shell.Tests;

public class ShellModeTests
{
    [Fact]
    public async Task Version_one_shot_prints_the_version_and_exits_zero()
    {
        var r = await ShellHarness.RunAsync(["version"]);
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("nspawn-native ", r.Out);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public async Task Help_lists_the_verbs_and_the_exit_codes()
    {
        var r = await ShellHarness.RunAsync(["help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("version", r.Out);
        Assert.Contains("2 usage error", r.Out);
    }

    [Fact]
    public async Task An_unknown_verb_is_a_usage_error_on_one_line()
    {
        var r = await ShellHarness.RunAsync(["no-such-verb"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: Unrecognized command or argument 'no-such-verb'. Try 'help'.", r.Err.Trim());
        Assert.Equal("", r.Out);
    }

    [Fact]
    public async Task Help_for_an_unknown_verb_is_a_usage_error()
    {
        var r = await ShellHarness.RunAsync(["help", "frobnicate"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("No verb 'frobnicate'", r.Err);
    }

    [Fact]
    public async Task A_script_on_stdin_runs_each_line_and_skips_comments()
    {
        var r = await ShellHarness.RunAsync([], "# a comment\nversion\n\n   # indented comment\nversion\n");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, r.Out.Split('\n').Count(l => l.StartsWith("nspawn-native ")));
    }

    [Fact]
    public async Task A_script_stops_at_the_first_failing_command()
    {
        var r = await ShellHarness.RunAsync([], "version\nbogus\nversion\n");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Out.Split('\n'), l => l.StartsWith("nspawn-native "));
        Assert.Contains("<stdin>:2: stopping at the first failing command", r.Err);
    }

    [Fact]
    public async Task Keep_going_runs_the_rest_and_still_reports_the_failure()
    {
        var r = await ShellHarness.RunAsync(["--keep-going"], "version\nbogus\nversion\n");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(2, r.Out.Split('\n').Count(l => l.StartsWith("nspawn-native ")));
    }

    [Fact]
    public async Task A_script_file_runs_with_dash_f()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "version # trailing comment\nhelp version\n");
            var r = await ShellHarness.RunAsync(["-f", file]);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("nspawn-native ", r.Out);
            Assert.Contains("Usage:", r.Out);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_script_file_fails_with_one_line()
    {
        var r = await ShellHarness.RunAsync(["-f", "/nonexistent/script.nn"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains("Cannot read script '/nonexistent/script.nn'", r.Err);
    }

    [Fact]
    public async Task An_unterminated_quote_in_a_script_is_a_usage_error_with_its_line()
    {
        var r = await ShellHarness.RunAsync([], "version\nhelp 'version\n");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("<stdin>:2: Unterminated single quote.", r.Err);
    }
}
