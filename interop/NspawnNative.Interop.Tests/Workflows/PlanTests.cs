using NspawnNative.Interop.Config;
using NspawnNative.Interop.Workflows;

namespace NspawnNative.Interop.Tests.Workflows;

public class PlanTests
{
    private const string File1 = "/etc/systemd/nspawn/m.nspawn";

    [Fact]
    public void A_file_step_renders_a_unified_diff()
    {
        using var t = new TempRoot();
        var step = FileStep.Write(t.Paths, File1, "[Exec]\nBoot=no\nUser=a\n", "[Exec]\nBoot=yes\nUser=a\n");
        Assert.Equal("--- a/etc/systemd/nspawn/m.nspawn\n+++ b/etc/systemd/nspawn/m.nspawn\n@@ -1,3 +1,3 @@\n [Exec]\n-Boot=no\n+Boot=yes\n User=a\n", step.Preview);
        Assert.Equal("edit '/etc/systemd/nspawn/m.nspawn'", step.Description);
    }

    [Fact]
    public void Diffs_mark_a_missing_final_newline_and_new_files()
    {
        Assert.Equal("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n", UnifiedDiff.Render("/f", "a", "a\n"));
        Assert.Equal("--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n", UnifiedDiff.Render("/f", null, "a\nb\n"));
        Assert.Equal("--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n", UnifiedDiff.Render("/f", "a\n", null));
    }

    [Fact]
    public void Distant_changes_get_separate_hunks()
    {
        var old = string.Concat(Enumerable.Range(1, 20).Select(i => $"l{i}\n"));
        var @new = old.Replace("l2\n", "L2\n").Replace("l18\n", "L18\n");
        var diff = UnifiedDiff.Render("/f", old, @new);
        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("@@ -1,5 +1,5 @@", diff);
        Assert.Contains("@@ -15,6 +15,6 @@", diff);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Applying_writes_the_file_0644_and_keeps_a_backup()
    {
        using var t = new TempRoot();
        t.Write(File1, "old\n");
        var plan = new Plan("test", [FileStep.Write(t.Paths, File1, "old\n", "new\n")]);
        var result = await plan.ApplyAsync(CancellationToken.None);
        Assert.True(result.Changed);
        Assert.Equal("new\n", t.Read(File1));
        Assert.Equal("old\n", t.Read(File1 + AtomicFileWriter.BackupSuffix));
        Assert.Equal(AtomicFileWriter.FileMode, File.GetUnixFileMode(t.PathOf(File1)));
        Assert.Equal([Path.GetFileName(File1), Path.GetFileName(File1) + AtomicFileWriter.BackupSuffix],
            Directory.GetFiles(Path.GetDirectoryName(t.PathOf(File1))!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_file_that_changed_on_disk_since_it_was_read_is_not_written()
    {
        using var t = new TempRoot();
        t.Write(File1, "old\n");
        var plan = new Plan("test", [FileStep.Write(t.Paths, File1, "old\n", "new\n")]);
        t.Write(File1, "someone else\n");
        var e = await Assert.ThrowsAsync<ConfigChangedOnDiskException>(() => plan.ApplyAsync(CancellationToken.None));
        Assert.Contains("changed on disk", e.Message);
        Assert.Equal("someone else\n", t.Read(File1));
    }

    [Fact]
    public async Task A_file_created_since_the_plan_was_built_is_not_overwritten()
    {
        using var t = new TempRoot();
        var plan = new Plan("test", [FileStep.Write(t.Paths, File1, null, "new\n")]);
        t.Write(File1, "appeared\n");
        await Assert.ThrowsAsync<ConfigChangedOnDiskException>(() => plan.ApplyAsync(CancellationToken.None));
        Assert.Equal("appeared\n", t.Read(File1));
    }

    [Fact]
    public async Task A_plan_without_changes_says_so_and_touches_nothing()
    {
        using var t = new TempRoot();
        t.Write(File1, "same\n");
        var plan = new Plan("profile for 'm'", [FileStep.Write(t.Paths, File1, "same\n", "same\n"), FileStep.Delete(t.Paths, "/etc/x", null)]);
        Assert.False(plan.HasChanges);
        Assert.Equal("profile for 'm': nothing to change.\n", plan.Render());
        var result = await plan.ApplyAsync(CancellationToken.None);
        Assert.Empty(result.Changes);
        Assert.Null(t.Read(File1 + AtomicFileWriter.BackupSuffix));
    }

    [Fact]
    public async Task Deleting_keeps_the_content_as_backup()
    {
        using var t = new TempRoot();
        t.Write(File1, "mine\n");
        await new Plan("t", [FileStep.Delete(t.Paths, File1, "mine\n")]).ApplyAsync(CancellationToken.None);
        Assert.Null(t.Read(File1));
        Assert.Equal("mine\n", t.Read(File1 + AtomicFileWriter.BackupSuffix));
    }

    [Fact]
    public async Task Other_step_types_plug_into_a_plan()
    {
        var step = new RecordingStep();
        var plan = new Plan("t", [step]);
        Assert.Contains("# reload systemd", plan.Render());
        var result = await plan.ApplyAsync(CancellationToken.None);
        Assert.Equal(["reloaded"], result.Changes);
        Assert.True(step.Applied);
    }

    private sealed class RecordingStep : PlanStep
    {
        public bool Applied { get; private set; }

        public override string Description => "reload systemd";

        public override bool HasChanges => true;

        public override string Preview => "call org.freedesktop.systemd1.Manager.Reload()";

        public override Task<string> ApplyAsync(CancellationToken cancellationToken)
        {
            Applied = true;
            return Task.FromResult("reloaded");
        }
    }
}
