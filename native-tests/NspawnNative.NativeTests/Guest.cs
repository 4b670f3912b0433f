using System.Diagnostics;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NspawnNative.NativeTests;

/// <summary>The result of a program run by a test: an oracle (machinectl, ibv_devinfo) or nspawn-native itself.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}

/// <summary>
/// Facts about the test VM and helpers to act in it. The harness (native-tests/vm) boots the guest with
/// NSPAWN_NATIVE_VM=1, rdma_rxe loaded and rxe0 created on the NIC, the container rootfs at
/// <see cref="ContainerTemplate"/>, and the NativeAOT shell at NSPAWN_NATIVE_BIN. Outside the VM every test
/// skips with that reason; inside it nothing is mocked.
/// </summary>
public static class Guest
{
    /// <summary>True inside the test VM.</summary>
    public static bool InVm => Environment.GetEnvironmentVariable("NSPAWN_NATIVE_VM") == "1";

    /// <summary>Skips the calling test outside the VM.</summary>
    public static void Require() =>
        Assert.SkipUnless(InVm, "Not inside the test VM (NSPAWN_NATIVE_VM is not 1); run 'make native-test'.");

    /// <summary>The soft-RoCE device the harness creates.</summary>
    public const string RdmaDevice = "rxe0";

    /// <summary>The netdev rxe0 sits on.</summary>
    public static string RdmaNetdev => Environment.GetEnvironmentVariable("NSPAWN_NATIVE_NETDEV") ?? "eth0";

    /// <summary>A minimal Debian 12 rootfs with systemd, dbus, ibverbs-utils and ibverbs-providers, to copy
    /// into /var/lib/machines as a machine image.</summary>
    public const string ContainerTemplate = "/srv/ctr-rootfs";

    /// <summary>The NativeAOT nspawn-native binary.</summary>
    public static string ShellBinary => Environment.GetEnvironmentVariable("NSPAWN_NATIVE_BIN") ?? "/usr/local/bin/nspawn-native";

    /// <summary>Runs a program to completion with a time-out; the test fails if it does not end in time.</summary>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout ?? TimeSpan.FromMinutes(3)}");
        }
        return new ProcessResult(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a program given as one argument list.</summary>
    public static Task<ProcessResult> RunAsync(string file, params string[] args) => RunAsync(file, args, null);

    /// <summary>Runs the nspawn-native binary one-shot.</summary>
    public static Task<ProcessResult> ShellAsync(params string[] args) => RunAsync(ShellBinary, args, null);

    /// <summary>Runs a shell command line with /bin/sh -c (for oracles only, never for the product).</summary>
    public static Task<ProcessResult> ShAsync(string command, TimeSpan? timeout = null) => RunAsync("/bin/sh", ["-c", command], timeout);

    /// <summary>
    /// Copies the container template to /var/lib/machines/<paramref name="name"/> as a fresh directory image
    /// (removing an older one of that name first) and returns its path.
    /// </summary>
    public static async Task<string> CreateMachineImageAsync(string name)
    {
        var path = $"/var/lib/machines/{name}";
        var r = await ShAsync($"rm -rf '{path}' '/etc/systemd/nspawn/{name}.nspawn' && mkdir -p /var/lib/machines && cp -a {ContainerTemplate} '{path}'", TimeSpan.FromMinutes(5));
        Assert.True(r.ExitCode == 0, $"copying the container template failed: {r}");
        return path;
    }
}
