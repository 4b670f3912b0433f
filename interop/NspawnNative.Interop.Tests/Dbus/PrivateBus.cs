using System.Diagnostics;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Tests.Dbus;

/// <summary>
/// A private dbus-daemon for one test, listening on a socket in a temporary directory, with a policy that lets any
/// connection own any name: fake machined and systemd services register there. Dispose stops it.
/// </summary>
internal sealed class PrivateBus : IAsyncDisposable
{
    private const string Daemon = "/usr/bin/dbus-daemon";

    private readonly Process _process;
    private readonly string _dir;

    private PrivateBus(Process process, string dir, string address)
    {
        _process = process;
        _dir = dir;
        Address = address;
    }

    public string Address { get; }

    /// <summary>Skips the test when dbus-daemon is not installed (native-tests/install-deps.sh installs it).</summary>
    public static void Require() =>
        Assert.SkipUnless(File.Exists(Daemon), $"'{Daemon}' is missing; install the dbus-daemon package (make deps).");

    public static async Task<PrivateBus> StartAsync()
    {
        Require();
        var dir = Directory.CreateTempSubdirectory("nn-dbus-").FullName;
        var config = Path.Combine(dir, "bus.conf");
        await File.WriteAllTextAsync(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path={dir}/bus</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>
            """);
        var psi = new ProcessStartInfo(Daemon) { RedirectStandardOutput = false, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--config-file", config, "--nofork" })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        // --print-address is block-buffered into a pipe, so the address is known in advance instead.
        var socket = Path.Combine(dir, "bus");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        // The file appears at bind(2), a moment before listen(2): wait until a connect succeeds.
        while (!CanConnect(socket) && !process.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(CanConnect(socket), $"dbus-daemon does not listen on '{socket}': {(process.HasExited ? await process.StandardError.ReadToEndAsync() : "time-out")}");
        return new PrivateBus(process, dir, $"unix:path={socket}");
    }

    private static bool CanConnect(string path)
    {
        if (!File.Exists(path))
            return false;
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream,
            System.Net.Sockets.ProtocolType.Unspecified);
        try
        {
            probe.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public Task<SystemdBus> ConnectAsync() => SystemdBus.ConnectAsync(Address, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
