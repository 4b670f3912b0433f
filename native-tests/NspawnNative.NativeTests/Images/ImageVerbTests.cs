using System.Diagnostics;
using System.Text.Json;

namespace NspawnNative.NativeTests.Images;

/// <summary>
/// The image and transfer verbs against the guest's real machined and importd, with machinectl as the oracle. The
/// images are small rootfs-like trees (the container rootfs's /etc and /usr/bin, with its os-release) so that
/// imports stay quick under emulation.
/// </summary>
public sealed class ImageVerbTests
{
    private const string Pool = "/var/lib/machines";

    [Fact]
    public async Task ListImagesAgreesWithMachinectl()
    {
        Guest.Require();
        await MakeTreeAsync($"{Pool}/img-list-a");
        await MakeTreeAsync($"{Pool}/img-list-b");
        try
        {
            Expect(await Guest.RunAsync("machinectl", "read-only", "img-list-b"), "machinectl read-only");
            var ours = await Guest.ShellAsync("list-images", "--json");
            Expect(ours, "nspawn-native list-images --json");
            var oracle = await Guest.RunAsync("machinectl", "list-images", "-o", "json");
            Expect(oracle, "machinectl list-images -o json");

            var mine = JsonDocument.Parse(ours.StdOut).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
            var theirs = JsonDocument.Parse(oracle.StdOut).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
            Assert.Equal(theirs.Keys.Order(), mine.Keys.Order());
            Assert.Contains("img-list-a", mine.Keys);
            foreach (var (name, t) in theirs)
            {
                var m = mine[name];
                Assert.Equal(t.GetProperty("type").GetString(), m.GetProperty("type").GetString());
                Assert.Equal(t.GetProperty("ro").GetBoolean(), m.GetProperty("read_only").GetBoolean());
                SameNumber(t, "usage", m, "usage", name);
                SameNumber(t, "created", m, "created_usec", name, zeroIsUnset: true);
                SameNumber(t, "modified", m, "modified_usec", name, zeroIsUnset: true);
            }
            Assert.True(mine["img-list-b"].GetProperty("read_only").GetBoolean());

            var table = await Guest.ShellAsync("list-images");
            Expect(table, "nspawn-native list-images");
            Assert.Matches(@"^NAME\s+TYPE\s+RO\s+USAGE\s+CREATED\s+MODIFIED\n", table.StdOut);
            Assert.Matches(@"\nimg-list-b\s+directory\s+yes\s", table.StdOut);
            Assert.Contains($"\n{theirs.Count} images listed.", table.StdOut);
        }
        finally
        {
            await Guest.RunAsync("machinectl", "read-only", "img-list-b", "no");
            await Guest.ShAsync($"rm -rf {Pool}/img-list-a {Pool}/img-list-b");
        }
    }

    [Fact]
    public async Task CloneReadOnlyRenameAndRemoveAreSeenByMachinectl()
    {
        Guest.Require();
        await MakeTreeAsync($"{Pool}/img-src");
        try
        {
            Expect(await Guest.ShellAsync("clone", "img-src", "img-copy"), "clone");
            Assert.Equal("directory", await PropertyAsync("img-copy", "Type"));
            Assert.True(File.Exists($"{Pool}/img-copy/usr/lib/os-release"), "the clone lacks usr/lib/os-release");

            Expect(await Guest.ShellAsync("read-only", "img-copy"), "read-only");
            Assert.Equal("yes", await PropertyAsync("img-copy", "ReadOnly"));
            var status = await Guest.ShellAsync("image-status", "img-copy");
            Expect(status, "image-status");
            Assert.Contains("RO: read-only", status.StdOut);
            Assert.Contains("OS: Debian GNU/Linux 12", status.StdOut);
            Expect(await Guest.ShellAsync("read-only", "img-copy", "no"), "read-only no");
            Assert.Equal("no", await PropertyAsync("img-copy", "ReadOnly"));

            Expect(await Guest.ShellAsync("rename", "img-copy", "img-renamed"), "rename");
            Assert.Equal("directory", await PropertyAsync("img-renamed", "Type"));
            Assert.NotEqual(0, (await Guest.RunAsync("machinectl", "show-image", "img-copy")).ExitCode);

            var show = await Guest.ShellAsync("show-image", "img-renamed", "-p", "Path");
            Expect(show, "show-image -p Path");
            Assert.Equal($"Path={Pool}/img-renamed", show.StdOut.Trim());

            Expect(await Guest.ShellAsync("remove", "img-renamed"), "remove");
            Assert.NotEqual(0, (await Guest.RunAsync("machinectl", "show-image", "img-renamed")).ExitCode);
            Assert.False(Directory.Exists($"{Pool}/img-renamed"));

            var missing = await Guest.ShellAsync("image-status", "img-renamed");
            Assert.Equal(1, missing.ExitCode);
            Assert.Single(NonEmptyLines(missing.StdErr));
            Assert.Contains("No image 'img-renamed'", missing.StdErr);
        }
        finally
        {
            await Guest.ShAsync($"rm -rf {Pool}/img-src {Pool}/img-copy {Pool}/img-renamed");
        }
    }

    [Fact]
    public async Task SetLimitFailsOnExt4AsMachinectlDoesAndRefusesABadSize()
    {
        Guest.Require();
        await MakeTreeAsync($"{Pool}/img-limit");
        try
        {
            // The guest's /var/lib/machines is on ext4: machined supports quotas only on btrfs.
            var oracle = await Guest.RunAsync("machinectl", "set-limit", "img-limit", "1G");
            var ours = await Guest.ShellAsync("set-limit", "img-limit", "1G");
            Assert.Equal(oracle.ExitCode == 0 ? 0 : 1, ours.ExitCode);
            if (ours.ExitCode != 0)
                Assert.Single(NonEmptyLines(ours.StdErr));
            var pool = await Guest.ShellAsync("set-limit", "2G");
            var poolOracle = await Guest.RunAsync("machinectl", "set-limit", "2G");
            Assert.Equal(poolOracle.ExitCode == 0 ? 0 : 1, pool.ExitCode);

            var bad = await Guest.ShellAsync("set-limit", "img-limit", "12Q");
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("Cannot parse size '12Q'", bad.StdErr);
        }
        finally
        {
            await Guest.RunAsync("machinectl", "set-limit", "-");
            await Guest.ShAsync($"rm -rf {Pool}/img-limit");
        }
    }

    [Fact]
    public async Task ImportTarOfARootfsTarballMakesAnImage()
    {
        Guest.Require();
        var tarball = "/tmp/img-rootfs.tar";
        Expect(await Guest.ShAsync($"tar -C {Guest.ContainerTemplate} -cf {tarball} ./etc ./usr/bin ./usr/lib/os-release ./bin ./sbin ./lib",
            TimeSpan.FromMinutes(5)), "tar of the container rootfs");
        try
        {
            var r = await Guest.RunAsync(Guest.ShellBinary, ["import-tar", tarball, "img-imported"], TimeSpan.FromMinutes(8));
            Expect(r, "import-tar");
            Assert.Matches(@"Transfer \d+ \(import-tar 'img-imported'\): done\.", r.StdOut);
            Assert.Equal("directory", await PropertyAsync("img-imported", "Type"));
            Assert.True(File.Exists($"{Pool}/img-imported/usr/lib/os-release"));
            Assert.True(Directory.Exists($"{Pool}/img-imported/usr/bin"));

            var again = await Guest.RunAsync(Guest.ShellBinary, ["import-tar", tarball, "img-imported"], TimeSpan.FromMinutes(8));
            Assert.Equal(1, again.ExitCode);
            Assert.Matches("failed|exists", again.StdErr);

            var forced = await Guest.RunAsync(Guest.ShellBinary, ["import-tar", tarball, "img-imported", "--force", "--read-only"], TimeSpan.FromMinutes(8));
            Expect(forced, "import-tar --force --read-only");
            Assert.Equal("yes", await PropertyAsync("img-imported", "ReadOnly"));
        }
        finally
        {
            await Guest.RunAsync("machinectl", "read-only", "img-imported", "no");
            await Guest.RunAsync("machinectl", "remove", "img-imported");
            File.Delete(tarball);
        }
    }

    [Fact]
    public async Task ImportFsThenExportTarGivesTheSameListing()
    {
        Guest.Require();
        var tree = "/tmp/img-tree";
        var exported = "/tmp/img-exported.tar";
        await MakeTreeAsync(tree);
        try
        {
            var r = await Guest.RunAsync(Guest.ShellBinary, ["import-fs", tree, "img-fs"], TimeSpan.FromMinutes(8));
            Expect(r, "import-fs");
            Assert.True(File.Exists($"{Pool}/img-fs/usr/lib/os-release"));

            var e = await Guest.RunAsync(Guest.ShellBinary, ["export-tar", "img-fs", exported], TimeSpan.FromMinutes(8));
            Expect(e, "export-tar");
            var inTar = await Guest.ShAsync($"tar -tf {exported} | sed -e 's|^\\./||' -e 's|/$||' | grep -v '^\\.\\?$' | sort");
            Expect(inTar, "tar -tf");
            var onDisk = await Guest.ShAsync($"cd {Pool}/img-fs && find . -mindepth 1 | sed 's|^\\./||' | sort");
            Expect(onDisk, "find");
            Assert.Equal(onDisk.StdOut, inTar.StdOut);
            Assert.NotEmpty(onDisk.StdOut);

            var xz = await Guest.RunAsync(Guest.ShellBinary, ["export-tar", "img-fs", exported + ".xz"], TimeSpan.FromMinutes(8));
            Expect(xz, "export-tar .xz");
            var magic = await Guest.ShAsync($"head -c 6 {exported}.xz | od -An -tx1");
            Assert.Contains("fd 37 7a 58 5a 00", magic.StdOut);
        }
        finally
        {
            await Guest.RunAsync("machinectl", "remove", "img-fs");
            await Guest.ShAsync($"rm -rf {tree} {exported} {exported}.xz");
        }
    }

    [Fact]
    public async Task PullTarFromALoopbackHttpServerMakesAnImageAndCleanRemovesItsCache()
    {
        Guest.Require();
        var served = "/tmp/img-served";
        await MakeTreeAsync("/tmp/img-pulltree");
        Expect(await Guest.ShAsync($"mkdir -p {served} && tar -C /tmp/img-pulltree -cf {served}/pulled.tar ."), "tar");
        using var server = Background("python3", "-m", "http.server", "18080", "--bind", "127.0.0.1", "--directory", served);
        try
        {
            await WaitForPortAsync(18080);
            var r = await Guest.RunAsync(Guest.ShellBinary, ["pull-tar", "http://127.0.0.1:18080/pulled.tar", "img-pulled", "--verify", "no"],
                TimeSpan.FromMinutes(8));
            Expect(r, "pull-tar");
            Assert.True(File.Exists($"{Pool}/img-pulled/usr/lib/os-release"));
            Assert.Equal("directory", await PropertyAsync("img-pulled", "Type"));

            var hidden = await Guest.RunAsync("machinectl", "list-images", "--all", "--no-legend");
            // machined always lists '.host' (the host's own root); clean never removes it.
            bool hadCache = hidden.StdOut.Split('\n').Any(IsPullCache);
            var clean = await Guest.ShellAsync("clean");
            Expect(clean, "clean");
            Assert.Contains("images in total.", clean.StdOut);
            var after = await Guest.RunAsync("machinectl", "list-images", "--all", "--no-legend");
            Assert.DoesNotContain(after.StdOut.Split('\n'), IsPullCache);
            if (hadCache)
                Assert.Contains("Removed image '.", clean.StdOut);
            Assert.Contains("img-pulled", after.StdOut);
        }
        finally
        {
            await Guest.RunAsync("machinectl", "remove", "img-pulled");
            await Guest.ShAsync($"rm -rf {served} /tmp/img-pulltree");
        }
    }

    [Fact]
    public async Task ARunningPullIsListedAndCancelTransferEndsIt()
    {
        Guest.Require();
        // A server that accepts and never answers: the pull stays running until it is cancelled.
        using var stall = Background("python3", "-c",
            "import socket,time\ns=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n" +
            "s.bind(('127.0.0.1',18081));s.listen(8)\nc=[]\nwhile True: c.append(s.accept())");
        await WaitForPortAsync(18081);
        using var pull = Background(Guest.ShellBinary, "pull-tar", "http://127.0.0.1:18081/slow.tar", "img-slow", "--verify", "no");
        try
        {
            JsonElement? row = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (row is null && DateTime.UtcNow < deadline)
            {
                var list = await Guest.ShellAsync("list-transfers", "--json");
                Expect(list, "list-transfers --json");
                row = JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray()
                    .Select(e => (JsonElement?)e).FirstOrDefault(e => e!.Value.GetProperty("local").GetString() == "img-slow");
                if (row is null)
                    await Task.Delay(300);
            }
            Assert.True(row is not null, "the pull never showed in list-transfers");
            uint id = row!.Value.GetProperty("id").GetUInt32();
            Assert.Equal("pull-tar", row.Value.GetProperty("type").GetString());

            var oracle = await Guest.RunAsync("machinectl", "list-transfers", "--no-legend");
            Assert.Matches($@"(?m)^\s*{id}\s.*pull-tar\s+img-slow\s", oracle.StdOut);
            var table = await Guest.ShellAsync("list-transfers");
            Assert.Matches(@"^ID\s+PERCENT\s+TYPE\s+LOCAL\s+REMOTE\n", table.StdOut);

            Expect(await Guest.ShellAsync("cancel-transfer", id.ToString()), "cancel-transfer");
            Assert.True(pull.Process.WaitForExit(TimeSpan.FromMinutes(1)), "the pull did not end after cancel-transfer");
            Assert.Equal(1, pull.Process.ExitCode);
            Assert.Contains("canceled", await pull.Process.StandardError.ReadToEndAsync());

            var unknown = await Guest.ShellAsync("cancel-transfer", id.ToString());
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains($"No transfer '{id}'", unknown.StdErr);
        }
        finally
        {
            await Guest.RunAsync("machinectl", "remove", "img-slow");
        }
    }

    [Fact]
    public async Task EveryVerbRefusesBadNamesAndPathsBeforeCallingTheBus()
    {
        Guest.Require();
        var r = await Guest.ShellAsync("import-tar", "/nonexistent.tar", "img-x");
        Assert.Equal(1, r.ExitCode);
        // Under the runner JOURNAL_STREAM is set, so the line carries systemd's "<3>" prefix instead of "error: ".
        Assert.Contains("Cannot read '/nonexistent.tar': it does not exist; check the path and its permissions.", r.StdErr);
        Assert.Single(NonEmptyLines(r.StdErr));
        r = await Guest.ShellAsync("import-fs", "/etc/hostname", "img-x");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("it is not a directory", r.StdErr);
        r = await Guest.ShellAsync("clone", "img-src", "bad/name");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Invalid machine name 'bad/name'", r.StdErr);
        r = await Guest.ShellAsync("pull-tar", "ftp://example/x.tar", "img-x", "--verify", "no");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Invalid URL", r.StdErr);
    }

    /// <summary>A rootfs-like tree: the container rootfs's /etc, /usr/bin and os-release, with its usrmerge links.</summary>
    private static async Task MakeTreeAsync(string path)
    {
        var t = Guest.ContainerTemplate;
        Expect(await Guest.ShAsync(
            $"rm -rf '{path}' && mkdir -p '{path}/usr/lib' && cp -a {t}/etc {t}/bin {t}/sbin {t}/lib '{path}/' && " +
            $"cp -a {t}/usr/bin '{path}/usr/' && cp -a {t}/usr/lib/os-release '{path}/usr/lib/'", TimeSpan.FromMinutes(3)),
            $"making the tree {path}");
    }

    private static async Task<string> PropertyAsync(string image, string property)
    {
        var r = await Guest.RunAsync("machinectl", "show-image", image, "-p", property, "--value");
        Expect(r, $"machinectl show-image {image} -p {property}");
        return r.StdOut.Trim();
    }

    // machinectl's JSON writes an unset timestamp as 0 and ours as null: both mean "unknown".
    private static void SameNumber(JsonElement theirs, string theirKey, JsonElement mine, string myKey, string name, bool zeroIsUnset = false)
    {
        var t = theirs.TryGetProperty(theirKey, out var tv) && tv.ValueKind == JsonValueKind.Number ? tv.GetUInt64() : (ulong?)null;
        var m = mine.TryGetProperty(myKey, out var mv) && mv.ValueKind == JsonValueKind.Number ? mv.GetUInt64() : (ulong?)null;
        if (zeroIsUnset && t == 0)
            t = null;
        Assert.True(t == m, $"{name}: machinectl's {theirKey} is {t?.ToString() ?? "null"}, ours {m?.ToString() ?? "null"}");
    }

    private static bool IsPullCache(string listLine) => listLine.StartsWith('.') && !listLine.StartsWith(".host ");

    private static IEnumerable<string> NonEmptyLines(string text) => text.Split('\n').Where(l => l.Trim().Length > 0);

    private static void Expect(ProcessResult r, string what) => Assert.True(r.ExitCode == 0, $"{what} failed: {r}");

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var c = new System.Net.Sockets.TcpClient();
                await c.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(200);
            }
        }
        Assert.Fail($"nothing listened on 127.0.0.1:{port} within a minute");
    }

    private static BackgroundProcess Background(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        return new BackgroundProcess(Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}"));
    }

    /// <summary>A process the test started and ends when disposed.</summary>
    private sealed class BackgroundProcess(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
            Process.Dispose();
        }
    }
}
