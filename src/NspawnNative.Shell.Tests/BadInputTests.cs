using System.Diagnostics;

namespace NspawnNative.Shell.Tests;

/// <summary>What a new operator tried first: special files where a file is expected, a mistyped --root, a script
/// and a verb at once. Each gets one line and the documented status, never a hang or a crash.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nn-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Fifo()
    {
        var path = Path.Combine(_dir, "fifo");
        using var p = Process.Start("mkfifo", [path]);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "mkfifo failed");
        return path;
    }

    [Fact]
    public async Task Validating_a_fifo_or_a_device_is_refused_without_reading_it()
    {
        foreach (var path in new[] { Fifo(), "/dev/zero" })
        {
            var r = await ShellHarness.RunAsync(["nspawn", "validate", path]).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"error: Cannot read '{path}': it is not a regular file; remove or rename what stands there.", r.Err.Trim());
        }
    }

    [Fact]
    public async Task A_nspawn_file_that_is_a_directory_is_named_as_such()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "etc/systemd/nspawn/d.nspawn"));
        var r = await ShellHarness.RunAsync(["nspawn", "show", "d", "--root", _dir]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not a regular file", r.Err);
    }

    [Fact]
    public async Task A_script_that_is_a_fifo_or_a_directory_is_refused_at_once()
    {
        foreach (var path in new[] { Fifo(), _dir })
        {
            var r = await ShellHarness.RunAsync(["-f", path]).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"error: Cannot read script '{path}': it is not a regular file; give a file with one command per line.", r.Err.Trim());
        }
    }

    [Fact]
    public async Task A_script_and_a_verb_at_once_is_a_usage_error()
    {
        var script = Path.Combine(_dir, "s");
        await File.WriteAllTextAsync(script, "version\n");
        var r = await ShellHarness.RunAsync(["-f", script, "version"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Contains("give either -f FILE or a verb", r.Err);
    }

    [Fact]
    public async Task A_root_that_does_not_exist_is_refused_before_any_file_is_written()
    {
        var root = Path.Combine(_dir, "no-such-root");
        var r = await ShellHarness.RunAsync(["nspawn", "set", "x", "Exec.Boot=yes", "--root", root]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: --root '{root}' is not a directory", r.Err.Trim());
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task Exit_ends_a_script_with_the_status_so_far()
    {
        var r = await ShellHarness.RunAsync([], "version\nexit\nno-such-verb\n");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
    }
}
