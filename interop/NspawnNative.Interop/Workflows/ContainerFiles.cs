using System.Globalization;
using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Workflows;

/// <summary>
/// Plans files inside a machine's own root directory: the terminal type of <c>machinectl login</c> and the memlock
/// limit of the container's systemd and of logins. The files take effect after a daemon-reload (or a restart) inside
/// the machine.
/// </summary>
public static class ContainerFiles
{
    /// <summary>The drop-in that sets TERM for container-getty@.service.</summary>
    public const string TermDropIn = "/etc/systemd/system/container-getty@.service.d/term.conf";

    /// <summary>The manager drop-in that sets DefaultLimitMEMLOCK for the container's systemd.</summary>
    public const string ManagerDropIn = "/etc/systemd/system.conf.d/60-nspawn-native-memlock.conf";

    /// <summary>The pam_limits entry for logins.</summary>
    public const string LimitsFile = "/etc/security/limits.d/60-nspawn-native-memlock.conf";

    /// <summary>
    /// The roots for a machine's own files: the root directory machined records for it while it runs, else its
    /// directory image <c>/var/lib/machines/NAME</c>, under <see cref="HostPaths.Root"/> (see
    /// <see cref="Userspace.MachineLocation"/>).
    /// </summary>
    /// <param name="paths">The host's roots.</param>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <exception cref="InvalidInputException">The name is not valid.</exception>
    public static HostPaths MachineRoot(HostPaths paths, string machine) =>
        paths with { Root = Userspace.MachineLocation.Find(paths, machine).RootDirectory };

    /// <summary>Plans <c>Environment=TERM=VALUE</c> for container-getty@.service inside the machine.</summary>
    /// <param name="machineRoot">The machine's root (see <see cref="MachineRoot"/>).</param>
    /// <param name="machine">The machine name, for the title.</param>
    /// <param name="term">The terminal type, for example <c>xterm-256color</c>.</param>
    /// <exception cref="InvalidInputException">The terminal type is empty or holds blanks.</exception>
    public static Plan PlanTerm(HostPaths machineRoot, string machine, string term)
    {
        if (term.Length == 0 || term.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '\\'))
            throw new InvalidInputException($"Terminal type '{term}' is not valid; give a name such as xterm-256color.");
        CheckRoot(machineRoot, machine);
        var old = AtomicFileWriter.ReadOrNull(machineRoot.UnderRoot(TermDropIn));
        var doc = IniDocument.Parse(old ?? "# Written by nspawn-native: the terminal type for 'machinectl login'.\n", TermDropIn);
        var wanted = $"TERM={term}";
        var current = doc.Get("Service", "Environment").Where(e => e.Value!.StartsWith("TERM=", StringComparison.Ordinal)).ToList();
        if (current.Count != 1 || current[0].Value != wanted)
        {
            foreach (var e in current)
                doc = doc.Remove("Service", "Environment", e.Value);
            doc = doc.Add("Service", "Environment", wanted);
        }
        return new Plan($"container term for '{machine}'", [FileStep.Write(machineRoot, TermDropIn, old, doc.Render())]);
    }

    /// <summary>
    /// Plans the memlock limit inside the machine: <c>DefaultLimitMEMLOCK=</c> for its systemd (services) and a
    /// pam_limits entry for every login.
    /// </summary>
    /// <param name="machineRoot">The machine's root (see <see cref="MachineRoot"/>).</param>
    /// <param name="machine">The machine name, for the title.</param>
    /// <param name="value">A limit: <c>infinity</c>, a size such as <c>64M</c>, or <c>SOFT:HARD</c>.</param>
    /// <exception cref="InvalidInputException">The value is not a limit.</exception>
    public static Plan PlanMemlock(HostPaths machineRoot, string machine, string value)
    {
        if (ConfigValues.CheckLimit(value) is { } reason)
            throw new InvalidInputException($"Memlock value '{value}' is not valid: {reason}.");
        CheckRoot(machineRoot, machine);
        var (soft, hard) = ConfigValues.ParseLimit(value)!.Value;

        var oldManager = AtomicFileWriter.ReadOrNull(machineRoot.UnderRoot(ManagerDropIn));
        var manager = IniDocument.Parse(oldManager ?? "# Written by nspawn-native: the memlock limit of every service.\n", ManagerDropIn)
            .Set("Manager", "DefaultLimitMEMLOCK", value);

        var oldLimits = AtomicFileWriter.ReadOrNull(machineRoot.UnderRoot(LimitsFile));
        var limits = "# Written by nspawn-native: the memlock limit of every login (pam_limits, KiB).\n"
                     + $"*    soft    memlock    {Kib(soft)}\n*    hard    memlock    {Kib(hard)}\n"
                     + $"root soft    memlock    {Kib(soft)}\nroot hard    memlock    {Kib(hard)}\n";
        return new Plan($"container memlock for '{machine}'",
        [
            FileStep.Write(machineRoot, ManagerDropIn, oldManager, manager.Render()),
            FileStep.Write(machineRoot, LimitsFile, oldLimits, limits),
        ]);
    }

    private static string Kib(ulong bytes) =>
        bytes == ConfigValues.Infinity ? "unlimited" : (bytes / 1024).ToString(CultureInfo.InvariantCulture);

    private static void CheckRoot(HostPaths machineRoot, string machine)
    {
        if (!Directory.Exists(machineRoot.Root))
            throw new InvalidInputException($"Machine '{machine}' has no root directory at '{machineRoot.Root}'; create the image first or give --root.");
    }
}
