using System.Diagnostics;

namespace NspawnNative.Interop.Tests.Dbus;

/// <summary>
/// A private dbus-daemon for one test class, started with a session-like configuration in a temporary directory
/// and stopped on dispose. Tests skip with a reason when dbus-daemon is not installed.
/// </summary>
public sealed class ScriptedBus : IDisposable
{
    private const string Daemon = "/usr/bin/dbus-daemon";
    private readonly Process? _process;
    private readonly string _dir;

    public ScriptedBus()
    {
        _dir = Directory.CreateTempSubdirectory("nn-dbus-").FullName;
        if (!File.Exists(Daemon))
            return;
        var config = Path.Combine(_dir, "bus.conf");
        File.WriteAllText(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path={_dir}/bus</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>
            """);
        var psi = new ProcessStartInfo(Daemon) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add($"--config-file={config}");
        psi.ArgumentList.Add("--print-address");
        psi.ArgumentList.Add("--nofork");
        _process = Process.Start(psi) ?? throw new InvalidOperationException("dbus-daemon did not start");
        Address = _process.StandardOutput.ReadLine()?.Trim() ?? throw new InvalidOperationException("dbus-daemon printed no address");
    }

    /// <summary>The bus address, or null when dbus-daemon is missing.</summary>
    public string? Address { get; }

    /// <summary>Skips the calling test when no private bus could be started.</summary>
    public string Require()
    {
        Assert.SkipWhen(Address is null, $"{Daemon} is not installed (Debian package dbus-daemon; native-tests/install-deps.sh installs it).");
        return Address!;
    }

    public void Dispose()
    {
        if (_process is not null && !_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
