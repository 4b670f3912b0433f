using System.Globalization;

namespace NspawnNative.Interop.Userspace;

/// <summary>Where a machine's files are and which process leads it, from machined's state file.</summary>
/// <param name="Name">The machine's name.</param>
/// <param name="RootDirectory">Its root directory as a host path (under <see cref="HostPaths.Root"/>).</param>
/// <param name="LeaderPid">Its leader's PID, or null when machined does not list it as running.</param>
public sealed record MachineLocation(string Name, string RootDirectory, int? LeaderPid)
{
    /// <summary>The directory of machine images nspawn uses by default.</summary>
    public const string ImageDirectory = "/var/lib/machines";

    /// <summary>
    /// Locates a machine: its root is <c>ROOT=</c> of machined's state file <c>/run/systemd/machines/NAME</c> when
    /// it runs, else <c>/var/lib/machines/NAME</c>; the leader is that file's <c>LEADER=</c>.
    /// </summary>
    /// <param name="paths">The host's roots.</param>
    /// <param name="name">The machine's name; validated first.</param>
    /// <exception cref="InvalidInputException">The name is not a valid machine name.</exception>
    public static MachineLocation Find(HostPaths paths, string name)
    {
        MachineName.Validate(name);
        // TODO (userspace): ask machined over D-Bus (GetImage's path, GetMachine's RootDirectory and Leader) once
        // the Systemd layer offers it; the state file is machined's own, not a stable interface, and raw (disk
        // image) machines have no directory to read until they run.
        string? root = null;
        int? leader = null;
        var state = paths.UnderRoot($"/run/systemd/machines/{name}");
        if (File.Exists(state))
        {
            foreach (var line in File.ReadLines(state))
            {
                if (line.StartsWith("ROOT=", StringComparison.Ordinal) && line.Length > 5)
                    root = line[5..];
                else if (line.StartsWith("LEADER=", StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                    leader = pid;
            }
        }
        return new MachineLocation(name, paths.UnderRoot(root ?? $"{ImageDirectory}/{name}"), leader);
    }
}
