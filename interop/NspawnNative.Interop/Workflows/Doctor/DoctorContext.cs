namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>
/// What a doctor check may look at: the host's roots and, when a machine is examined, its name, its root
/// directory and the PID of its leader (its init process) when it runs. Checks that need what is missing
/// report <see cref="CheckStatus.Skipped"/>.
/// </summary>
/// <param name="Paths">The host's roots.</param>
/// <param name="MachineName">The machine examined (validated), or null for host-only checks.</param>
/// <param name="MachineRoot">The machine's root directory as a host path, or null when unknown.</param>
/// <param name="LeaderPid">The machine leader's PID on the host, or null when the machine is not running.</param>
public sealed record DoctorContext(HostPaths Paths, string? MachineName = null, string? MachineRoot = null, int? LeaderPid = null)
{
    /// <summary>A context for checks of the host alone.</summary>
    /// <param name="paths">The host's roots.</param>
    public static DoctorContext ForHost(HostPaths paths) => new(paths);

    /// <summary>A context for a machine; the name is validated before anything is built from it.</summary>
    /// <param name="paths">The host's roots.</param>
    /// <param name="machineName">The machine's name.</param>
    /// <param name="machineRoot">Its root directory as a host path, or null when unknown.</param>
    /// <param name="leaderPid">Its leader's PID, or null when it does not run.</param>
    /// <exception cref="InvalidInputException">The name is not a valid machine name.</exception>
    public static DoctorContext ForMachine(HostPaths paths, string machineName, string? machineRoot, int? leaderPid) =>
        new(paths, Interop.MachineName.Validate(machineName), machineRoot, leaderPid);
}
