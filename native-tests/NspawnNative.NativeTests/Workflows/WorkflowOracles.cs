using System.Text.Json;

namespace NspawnNative.NativeTests.Workflows;

/// <summary>One line of <c>doctor --json</c>.</summary>
public sealed record DoctorLine(string Check, string Status, string Reason, string? Fix);

/// <summary>
/// What the workflow tests read from the guest to judge nspawn-native: doctor's JSON verdict, the files
/// <c>rdma enable</c> may touch (as bytes, to prove <c>rdma disable</c> restores them), unit and /proc facts read
/// with systemctl, machinectl and /proc itself.
/// </summary>
public static class WorkflowOracles
{
    /// <summary>The suffix of the one backup the atomic writer keeps next to a file it changed.</summary>
    public const string BackupSuffix = ".nspawn-native.bak";

    /// <summary>Runs <c>nspawn-native doctor [NAME] --json [extra...]</c> and parses its report; the exit status is
    /// checked against the verdict (1 exactly when a check fails).</summary>
    public static async Task<IReadOnlyList<DoctorLine>> DoctorAsync(string? machine, params string[] extra)
    {
        var args = new List<string> { "doctor" };
        if (machine is not null)
            args.Add(machine);
        args.Add("--json");
        args.AddRange(extra);
        var r = await Guest.RunAsync(Guest.ShellBinary, args, TimeSpan.FromMinutes(4));
        Assert.True(r.ExitCode is 0 or 1, $"doctor neither passed nor failed: {r}");
        var lines = Parse(r.StdOut, r);
        var anyFail = lines.Any(l => l.Status == "fail");
        Assert.True(anyFail == (r.ExitCode == 1), $"doctor's exit status does not match its verdict: {r}");
        return lines;
    }

    /// <summary>Parses doctor's JSON: an object with a <c>checks</c> array of {check, status, reason, fix}.</summary>
    public static IReadOnlyList<DoctorLine> Parse(string json, object context)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var list = new List<DoctorLine>();
            foreach (var c in doc.RootElement.GetProperty("checks").EnumerateArray())
            {
                var fix = c.TryGetProperty("fix", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                list.Add(new DoctorLine(c.GetProperty("check").GetString()!, c.GetProperty("status").GetString()!,
                    c.GetProperty("reason").GetString() ?? "", fix));
            }
            Assert.NotEmpty(list);
            return list;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Assert.Fail($"doctor --json did not give the expected JSON ({e.Message}): {context}");
            throw;
        }
    }

    /// <summary>The one line of <paramref name="check"/>; fails the test when doctor did not run that check.</summary>
    public static DoctorLine Line(IReadOnlyList<DoctorLine> report, string check) =>
        report.SingleOrDefault(l => l.Check == check) ?? throw new Xunit.Sdk.XunitException(
            $"doctor ran no check '{check}'; it ran:\n{Render(report)}");

    /// <summary>Asserts that <paramref name="check"/> failed and that its fix names every one of
    /// <paramref name="fixWords"/>.</summary>
    public static DoctorLine AssertFails(IReadOnlyList<DoctorLine> report, string check, params string[] fixWords)
    {
        var line = Line(report, check);
        Assert.True(line.Status == "fail", $"'{check}' should fail:\n{Render(report)}");
        Assert.False(string.IsNullOrWhiteSpace(line.Fix), $"'{check}' fails without a fix:\n{Render(report)}");
        foreach (var w in fixWords)
            Assert.True(line.Fix!.Contains(w, StringComparison.Ordinal), $"the fix of '{check}' does not name '{w}':\n{Render(report)}");
        return line;
    }

    /// <summary>Asserts that none of <paramref name="checks"/> failed (they may pass, warn or be skipped).</summary>
    public static void AssertNotFailing(IReadOnlyList<DoctorLine> report, params string[] checks)
    {
        foreach (var check in checks)
            Assert.True(Line(report, check).Status != "fail", $"'{check}' should not fail here:\n{Render(report)}");
    }

    /// <summary>The report as doctor's text form, for assertion messages.</summary>
    public static string Render(IEnumerable<DoctorLine> report) =>
        string.Join('\n', report.Select(l => $"{l.Status,-7} {l.Check}  {l.Reason}" + (l.Fix is null ? "" : $"  (fix: {l.Fix})")));

    /// <summary>
    /// The bytes (as a hash) of every regular file and symlink under each of <paramref name="paths"/>, absent ones (or
    /// folders holding nothing else) marked as such; the atomic writer's backups are left out (they may remain).
    /// </summary>
    public static async Task<string> SnapshotAsync(params string[] paths)
    {
        var quoted = string.Join(' ', paths.Select(p => $"'{p}'"));
        // A folder left holding only backups counts as absent, as it is to systemd and nspawn.
        var r = await Guest.ShAsync(
            $"for p in {quoted}; do out=''; if [ -e \"$p\" ] || [ -L \"$p\" ]; then " +
            $"out=$(find \"$p\" -type f ! -name '*{BackupSuffix}' -print0 | sort -z | xargs -0 -r sha256sum && " +
            "find \"$p\" -type l -printf '%p -> %l\\n' | sort); fi; " +
            "if [ -n \"$out\" ]; then echo \"$out\"; else echo \"absent $p\"; fi; done");
        Assert.True(r.ExitCode == 0, $"snapshot failed: {r}");
        return r.StdOut;
    }

    /// <summary>The paths <c>rdma enable NAME</c> may write: the .nspawn files, the unit's drop-in folders and the
    /// container root's /etc/systemd and /etc/security.</summary>
    public static string[] WatchedPaths(string name) =>
    [
        $"/etc/systemd/nspawn/{name}.nspawn",
        $"/run/systemd/nspawn/{name}.nspawn",
        $"/etc/systemd/system/systemd-nspawn@{name}.service.d",
        $"/etc/systemd/system.control/systemd-nspawn@{name}.service.d",
        $"/var/lib/machines/{name}/etc/systemd",
        $"/var/lib/machines/{name}/etc/security",
    ];

    /// <summary>A property of a unit as systemctl shows it (of the manager itself when <paramref name="unit"/> is
    /// empty), on the host or inside <paramref name="machine"/>.</summary>
    public static async Task<string> UnitPropertyAsync(string unit, string property, string? machine = null)
    {
        var args = new List<string>();
        if (machine is not null)
            args.AddRange(["-M", machine]);
        args.Add("show");
        if (unit.Length > 0)
            args.Add(unit);
        args.AddRange(["-p", property, "--value"]);
        var r = await Guest.RunAsync("systemctl", args, TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, $"systemctl show {unit} -p {property} failed: {r}");
        return r.StdOut.Trim();
    }

    /// <summary>The machine's leader PID as machined reports it.</summary>
    public static async Task<int> LeaderAsync(string machine)
    {
        var r = await Guest.RunAsync("machinectl", "show", machine, "-p", "Leader", "--value");
        Assert.True(r.ExitCode == 0 && int.TryParse(r.StdOut.Trim(), out _), $"machinectl show {machine} -p Leader: {r}");
        return int.Parse(r.StdOut.Trim());
    }

    /// <summary>"Max locked memory" soft limit of a process, from /proc/PID/limits ("unlimited" or bytes).</summary>
    public static async Task<string> MemlockOfAsync(int pid)
    {
        var text = await File.ReadAllTextAsync($"/proc/{pid}/limits");
        var line = text.Split('\n').Single(l => l.StartsWith("Max locked memory", StringComparison.Ordinal));
        return line["Max locked memory".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }

    /// <summary>The index of rxe0's IPv4-mapped RoCE GID on port 1 (what ibv_rc_pingpong's -g needs here).</summary>
    public static int RoceGidIndex()
    {
        var dir = $"/sys/class/infiniband/{Guest.RdmaDevice}/ports/1/gids";
        foreach (var f in Directory.GetFiles(dir).OrderBy(f => int.Parse(Path.GetFileName(f))))
        {
            string gid;
            try { gid = File.ReadAllText(f).Trim(); }
            catch (IOException) { continue; }
            if (gid.StartsWith("0000:0000:0000:0000:0000:ffff:", StringComparison.Ordinal))
                return int.Parse(Path.GetFileName(f));
        }
        Assert.Fail($"rxe0 has no IPv4-mapped GID in '{dir}'");
        return -1;
    }

    /// <summary>Fails the test when a program did not succeed.</summary>
    public static void Ok(ProcessResult r, string what) => Assert.True(r.ExitCode == 0, $"{what} failed: {r}");
}
