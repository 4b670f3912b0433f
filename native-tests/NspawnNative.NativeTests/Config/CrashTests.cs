using System.Diagnostics;

namespace NspawnNative.NativeTests.Config;

/// <summary>
/// The atomic writer under SIGKILL: 'nspawn-native nspawn set' is killed at random points many times; the .nspawn
/// file must always hold either the content before that run or the content it was writing, never a partial file,
/// and must never go missing.
/// </summary>
public sealed class CrashTests
{
    private const int Kills = 100;

    [Fact]
    public async Task KillingTheWriterAtRandomPointsNeverLeavesAPartialOrMissingFile()
    {
        Guest.Require();
        var root = Directory.CreateTempSubdirectory("nn-crash-").FullName;
        try
        {
            var file = Path.Combine(root, "etc/systemd/nspawn/cfg-crash.nspawn");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            // A file big enough that a torn write would show.
            var filler = string.Concat(Enumerable.Range(0, 400).Select(i => $"Bind=/srv/data{i}\n"));
            await File.WriteAllTextAsync(file, $"[Exec]\nHostname=h0\n\n[Files]\n{filler}");

            // One run to completion tells how long a run takes, so the kills spread over all of it.
            var watch = Stopwatch.StartNew();
            var first = await Guest.ShellAsync("nspawn", "set", "cfg-crash", "Exec.Hostname=h1", "--root", root);
            Assert.True(first.ExitCode == 0, first.ToString());
            int fullRunMs = Math.Max(20, (int)watch.ElapsedMilliseconds);

            var random = new Random(4242);
            int sawOld = 0, sawNew = 0;
            for (int i = 2; i < Kills + 2; i++)
            {
                var before = await File.ReadAllTextAsync(file);
                var after = System.Text.RegularExpressions.Regex.Replace(before, @"Hostname=h\d+", $"Hostname=h{i}");
                var psi = new ProcessStartInfo(Guest.ShellBinary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { "nspawn", "set", "cfg-crash", $"Exec.Hostname=h{i}", "--root", root })
                    psi.ArgumentList.Add(a);
                using var p = Process.Start(psi)!;
                await Task.Delay(random.Next(0, fullRunMs * 12 / 10));
                try
                {
                    p.Kill();
                }
                catch (InvalidOperationException)
                {
                    // Already finished: a kill after the end is one of the random points too.
                }
                await p.WaitForExitAsync();

                Assert.True(File.Exists(file), $"kill {i}: the file is missing");
                var now = await File.ReadAllTextAsync(file);
                if (now == before)
                    sawOld++;
                else if (now == after)
                    sawNew++;
                else
                    Assert.Fail($"kill {i}: the file holds neither the old nor the new content:\n{now}");
            }
            Assert.Equal(Kills, sawOld + sawNew);
            Console.WriteLine($"crash test: {Kills} kills, {sawOld} left the old content, {sawNew} the new one; full run {fullRunMs} ms");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
