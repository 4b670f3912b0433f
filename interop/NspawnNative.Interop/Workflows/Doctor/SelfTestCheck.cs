using NspawnNative.Interop.SelfTest;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>
/// machine.selftest: traffic, the proof that the whole chain holds. A ping-pong server runs in this process on the
/// host; the client runs inside the machine through machined's OpenMachineShell, that is through the container's own
/// systemd, so that its device cgroup and limits apply. The client is a copy of an nspawn-native binary placed in the
/// machine's root for the run. The check reports the client's own words when it fails; it does not guess a cause.
/// </summary>
internal sealed class SelfTestCheck(DoctorFacts facts, string? client) : FactsCheck(facts, "machine.selftest")
{
    /// <summary>Not ibv_rc_pingpong's 18515, so that a ping-pong someone left listening does not answer instead.</summary>
    public const int Port = 18517;

    private const string ExitMarker = "nspawn-native-selftest-exit=";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    protected override async Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Facts.Running is not { } running || Facts.Bus is null)
            return Skip(Facts.Problem("machine") ?? "not running");
        if (client is null || !File.Exists(client))
            return Skip("no nspawn-native binary to run inside the machine (run the installed nspawn-native, not 'dotnet')");
        if (!SharesHostNetwork(running.Leader))
        {
            // TODO (workflows): a machine with its own network namespace needs the host's address on its veth; until
            // then the self-test runs only where the machine shares the host's network, as RoCE requires anyway.
            return Skip("the machine has its own network namespace; run 'selftest server' on the host and 'selftest client' inside by hand");
        }

        var inside = $"/var/tmp/nspawn-native-selftest-{Environment.ProcessId}";
        var copy = Facts.Paths.UnderRoot(running.RootDirectory.TrimEnd('/') + inside);
        File.Copy(client, copy, overwrite: true);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                       | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            return await PingPongAsync(inside, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private async Task<DoctorCheckResult> PingPongAsync(string inside, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        var options = new PingPongOptions(Port: Port, AutoGid: true, Iterations: 100, ExchangeTimeout: Timeout);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = RcPingPong.ServerAsync(options, Facts.Paths, _ => listening.TrySetResult(), cts.Token);
        if (await Task.WhenAny(listening.Task, server).ConfigureAwait(false) == server)
        {
            // The server failed before listening: the host's side is broken, which the host checks name.
            var error = server.Exception?.InnerException?.Message ?? "the server ended at once";
            return Warn($"not verified: the ping-pong server on the host could not start: {error.TrimEnd('.')}");
        }

        var command = $"{inside} selftest client 127.0.0.1 -p {Port} -g auto -n {options.Iterations}; echo {ExitMarker}$?";
        var output = await InsideShell.RunAsync(Facts.Bus!, Machine, command, Timeout, cts.Token).ConfigureAwait(false);
        var exit = ExitStatus(output);
        if (exit != 0)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            try
            {
                await server.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or NspawnNativeException)
            {
                // The server only waited for a client that never came; the client's words are the finding.
            }
            var said = LastWords(output);
            return Fail($"the self-test client inside '{Machine}' failed ({(exit is null ? "no exit status" : $"exit {exit}")}): {said}",
                "fix the failing checks above; the client's message names the errno it got");
        }

        var result = await server.ConfigureAwait(false);
        return Ok($"a ping-pong from inside '{Machine}' through its own systemd to the host passed: {result.IterationLine}");
    }

    private static bool SharesHostNetwork(uint leader)
    {
        try
        {
            return new FileInfo("/proc/self/ns/net").LinkTarget == new FileInfo($"/proc/{leader}/ns/net").LinkTarget;
        }
        catch (IOException)
        {
            return false;
        }
    }

    internal static int? ExitStatus(string output)
    {
        var at = output.LastIndexOf(ExitMarker, StringComparison.Ordinal);
        if (at < 0)
            return null;
        var digits = new string(output[(at + ExitMarker.Length)..].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, out var status) ? status : null;
    }

    /// <summary>The client's last meaningful line (its error), without the exit marker.</summary>
    internal static string LastWords(string output) =>
        output.Replace("\r", "").Split('\n').Select(l => l.Trim())
            .LastOrDefault(l => l.Length > 0 && !l.StartsWith(ExitMarker, StringComparison.Ordinal)) ?? "no output";
}
