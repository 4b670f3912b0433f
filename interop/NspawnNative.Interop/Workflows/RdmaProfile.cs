using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Workflows;

/// <summary>The choices of <c>rdma profile</c>.</summary>
/// <param name="HostNetwork">Add <c>[Network] VirtualEthernet=no</c> (RoCE needs the netdev that owns the GID).</param>
/// <param name="Hugepages">Bind <c>/dev/hugepages</c>: true, false, or null to bind it when the host has it.</param>
/// <param name="PrivateUsersOff">Add <c>[Exec] PrivateUsers=no</c> (CAP_IPC_LOCK only lifts the memlock limit
/// outside a user namespace).</param>
/// <param name="DeviceAllow">DeviceAllow entries to add to our unit drop-in.</param>
public sealed record RdmaProfileOptions(
    bool HostNetwork = false, bool? Hugepages = null, bool PrivateUsersOff = false, IReadOnlyList<DeviceAllowEntry>? DeviceAllow = null);

/// <summary>
/// Plans the RDMA profile of a machine: its .nspawn file carries <c>Capability=CAP_IPC_LOCK</c>,
/// <c>LimitMEMLOCK=infinity</c>, <c>Bind=/dev/infiniband/</c> and, when chosen, <c>Bind=/dev/hugepages</c>,
/// <c>VirtualEthernet=no</c> and <c>PrivateUsers=no</c>; our drop-in of the unit carries <c>LimitMEMLOCK=infinity</c>
/// (and the DeviceAllow entries asked for). Settings already in place are left alone, so a second run plans nothing.
/// </summary>
public static class RdmaProfile
{
    /// <summary>Builds the plan.</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <param name="options">The choices.</param>
    /// <exception cref="InvalidInputException">The machine name is not valid.</exception>
    /// <exception cref="ConfigFileException">A file cannot be read, or a file we did not write sits at our drop-in's path.</exception>
    public static Plan Plan(HostPaths paths, string machine, RdmaProfileOptions options)
    {
        MachineName.Validate(machine);
        bool hugepages = options.Hugepages ?? Userspace.HugePages.IsHugetlbfsMount(paths);
        var nspawn = NspawnEditPlanner.Step(paths, machine, doc =>
        {
            if (!HasCapability(doc, "CAP_IPC_LOCK"))
                doc = doc.Add("Exec", "Capability", "CAP_IPC_LOCK");
            doc = doc.Set("Exec", "LimitMEMLOCK", "infinity");
            if (options.PrivateUsersOff)
                doc = doc.Set("Exec", "PrivateUsers", "no");
            doc = EnsureBind(doc, "/dev/infiniband/");
            if (hugepages)
                doc = EnsureBind(doc, "/dev/hugepages");
            if (options.HostNetwork)
                doc = doc.Set("Network", "VirtualEthernet", "no");
            return doc;
        });

        var dropIn = NspawnNativeDropIn.Load(paths, machine).SetLimitMemlock("infinity");
        foreach (var entry in options.DeviceAllow ?? [])
            dropIn.AddDeviceAllow(entry);
        // TODO (config): a daemon-reload step belongs here once the Systemd area offers D-Bus plan steps.
        return new Plan($"rdma profile for '{machine}'", [nspawn, dropIn.ToStep(paths)]);
    }

    private static bool HasCapability(IniDocument doc, string capability) =>
        NspawnSettingsFile.Effective(doc, trusted: true).Where(s => s.Section == "Exec" && s.Name == "Capability")
            .SelectMany(s => s.Values).SelectMany(ConfigValues.Words)
            .Any(w => w == "all" || string.Equals(w, capability, StringComparison.OrdinalIgnoreCase));

    private static IniDocument EnsureBind(IniDocument doc, string source)
    {
        var bound = NspawnSettingsFile.Effective(doc, trusted: true).Where(s => s.Section == "Files" && s.Name == "Bind")
            .SelectMany(s => s.Values).Select(v => ConfigValues.SplitBind(v).Source.TrimStart('-', '+').TrimEnd('/'));
        return bound.Contains(source.TrimEnd('/')) ? doc : doc.Add("Files", "Bind", source);
    }
}
