namespace NspawnNative.NativeTests;

/// <summary>
/// An nspawn machine for one test, set up and driven through oracles (machinectl, systemctl, systemd-run): a fresh
/// copy of the container rootfs, an optional .nspawn file and an optional drop-in for systemd-nspawn@NAME.service.
/// Disposing it stops the machine and removes everything it created. Commands inside the machine run through its
/// own systemd (<see cref="RunInsideAsync"/>), so the device cgroup applies; nsenter would bypass it.
/// </summary>
public sealed class TestMachine : IAsyncDisposable
{
    /// <summary>A .nspawn file that binds the host's /dev/infiniband into the machine and keeps the host network
    /// (rxe0 sits on the host NIC).</summary>
    public const string RdmaNspawnFile = "[Files]\nBind=/dev/infiniband\n\n[Network]\nVirtualEthernet=no\n";

    private TestMachine(string name) => Name = name;

    /// <summary>The machine name (also the directory under /var/lib/machines).</summary>
    public string Name { get; }

    /// <summary>The unit machinectl starts for this machine.</summary>
    public string Unit => $"systemd-nspawn@{Name}.service";

    private string NspawnPath => $"/etc/systemd/nspawn/{Name}.nspawn";

    private string DropInDir => $"/etc/systemd/system/systemd-nspawn@{Name}.service.d";

    /// <summary>
    /// Creates the machine image NAME from the container template, writes <paramref name="nspawnFile"/> to
    /// /etc/systemd/nspawn/NAME.nspawn and <paramref name="dropIn"/> (unit file text) to a drop-in of its unit when
    /// given, and reloads systemd. Does not start it.
    /// </summary>
    public static async Task<TestMachine> CreateAsync(string name, string? nspawnFile = RdmaNspawnFile, string? dropIn = null)
    {
        var m = new TestMachine(name);
        await m.StopAsync();
        await Guest.CreateMachineImageAsync(name);
        Directory.CreateDirectory("/etc/systemd/nspawn");
        if (nspawnFile is not null)
            await File.WriteAllTextAsync(m.NspawnPath, nspawnFile);
        if (Directory.Exists(m.DropInDir))
            Directory.Delete(m.DropInDir, recursive: true);
        if (dropIn is not null)
        {
            Directory.CreateDirectory(m.DropInDir);
            await File.WriteAllTextAsync(Path.Combine(m.DropInDir, "50-test.conf"), dropIn);
        }
        Expect(await Guest.RunAsync("systemctl", "daemon-reload"), "systemctl daemon-reload");
        return m;
    }

    /// <summary>Starts the machine with machinectl and waits until the systemd inside it is up (running or
    /// degraded), failing the test after <paramref name="timeout"/> (default 2 minutes).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        Expect(await Guest.RunAsync("machinectl", "start", Name), $"machinectl start {Name}");
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        string state = "";
        while (DateTime.UtcNow < deadline)
        {
            var r = await Guest.RunAsync("systemctl", ["-M", Name, "is-system-running"], TimeSpan.FromSeconds(30));
            state = r.StdOut.Trim();
            if (state is "running" or "degraded")
                return;
            await Task.Delay(500);
        }
        var status = await Guest.RunAsync("systemctl", "status", "--no-pager", "-n", "30", Unit);
        Assert.Fail($"machine '{Name}' did not come up (last state '{state}'):\n{status}");
    }

    /// <summary>Runs a command inside the machine as a transient service of its own systemd
    /// (systemd-run -M NAME --wait --pipe), with optional unit properties (-p).</summary>
    public Task<ProcessResult> RunInsideAsync(IEnumerable<string> command, IEnumerable<string>? properties = null, TimeSpan? timeout = null)
    {
        var args = new List<string> { "-M", Name, "--wait", "--pipe", "--quiet", "--service-type=exec" };
        foreach (var p in properties ?? [])
        {
            args.Add("-p");
            args.Add(p);
        }
        args.AddRange(command);
        return Guest.RunAsync("systemd-run", args, timeout ?? TimeSpan.FromMinutes(2));
    }

    /// <summary>Runs a /bin/sh command line inside the machine (see <see cref="RunInsideAsync"/>).</summary>
    public Task<ProcessResult> ShInsideAsync(string commandLine) => RunInsideAsync(["/bin/sh", "-c", commandLine]);

    /// <summary>Powers the machine off and waits until machined forgets it; terminates it if it does not stop
    /// within a minute. A machine that is not running is fine.</summary>
    public async Task StopAsync()
    {
        if (!await IsKnownAsync())
            return;
        await Guest.RunAsync("machinectl", "poweroff", Name);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline && await IsKnownAsync())
            await Task.Delay(500);
        if (await IsKnownAsync())
        {
            await Guest.RunAsync("machinectl", "terminate", Name);
            await Task.Delay(2000);
        }
        // The unit may linger as failed after a terminate; reset it so the next start is clean.
        await Guest.RunAsync("systemctl", "reset-failed", Unit);
    }

    /// <summary>True while machined lists the machine.</summary>
    public async Task<bool> IsKnownAsync() => (await Guest.RunAsync("machinectl", "show", Name, "-p", "Name")).ExitCode == 0;

    /// <summary>Stops the machine and removes its image, .nspawn file and drop-in.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(DropInDir))
            Directory.Delete(DropInDir, recursive: true);
        File.Delete(NspawnPath);
        await Guest.RunAsync("systemctl", "daemon-reload");
        await Guest.ShAsync($"rm -rf '/var/lib/machines/{Name}'", TimeSpan.FromMinutes(2));
    }

    private static void Expect(ProcessResult r, string what) => Assert.True(r.ExitCode == 0, $"{what} failed: {r}");
}
