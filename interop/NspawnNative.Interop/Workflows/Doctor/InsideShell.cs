using System.Text;
using Microsoft.Win32.SafeHandles;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>
/// Runs a /bin/sh command line inside a machine through machined's OpenMachineShell, that is as a transient unit of
/// the container's own systemd (its device cgroup and limits apply, unlike nsenter), and collects what it prints.
/// </summary>
internal static class InsideShell
{
    public static async Task<string> RunAsync(SystemdBus bus, string machine, string commandLine, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var shell = await new MachineManager(bus).OpenMachineShellAsync(machine, "root", ["/bin/sh", "-c", commandLine], [], cts.Token)
            .ConfigureAwait(false);
        return await ReadAllAsync(shell.Pty, cts.Token).ConfigureAwait(false);
    }

    /// <summary>Everything written to the pty until it closes (read fails with EIO) or time runs out.</summary>
    private static async Task<string> ReadAllAsync(SafeFileHandle pty, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        using var stream = new FileStream(pty, FileAccess.ReadWrite, 1);
        using var stop = cancellationToken.Register(pty.Dispose);
        await Task.Run(() =>
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                    text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // EIO: the other side closed, which is how a pty ends.
            }
        }, CancellationToken.None).ConfigureAwait(false);
        return text.ToString().Replace("\r", "", StringComparison.Ordinal);
    }
}
