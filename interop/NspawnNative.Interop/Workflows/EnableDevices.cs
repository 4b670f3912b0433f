using NspawnNative.Interop.Config;
using NspawnNative.Interop.Rdma;

namespace NspawnNative.Interop.Workflows;

/// <summary>The device rules and network choice <see cref="RdmaEnable"/> derives from the host's devices.</summary>
/// <param name="Rules">The DeviceAllow entries for our drop-in.</param>
/// <param name="HostNetwork">True when the machine must share the host's network (asked, or a RoCE device chosen).</param>
internal sealed record EnableDevices(IReadOnlyList<DeviceAllowEntry> Rules, bool HostNetwork)
{
    private const string VerbsClassRule = "char-infiniband_verbs rwm";
    private const string RdmaCm = "/dev/infiniband/rdma_cm";

    /// <summary>
    /// Every device: the uverbs class rule, which also covers devices created after the start. Named devices: path
    /// rules for their uverbs nodes. Both: rdma_cm, and umad or issm nodes of the chosen devices only when asked.
    /// </summary>
    /// <exception cref="WorkflowException">The host has no RDMA device.</exception>
    /// <exception cref="InvalidInputException">A named device does not exist.</exception>
    public static EnableDevices Select(HostPaths paths, RdmaEnableOptions options) => Select(RdmaDiscovery.Discover(paths), options);

    internal static EnableDevices Select(RdmaSnapshot rdma, RdmaEnableOptions options)
    {
        if (rdma.Devices.Count == 0)
            throw new WorkflowException($"The host has no RDMA device in '{rdma.ClassDirectory}'; load the adapter's driver first " +
                                        "('nspawn-native doctor' names what is missing).");
        var chosen = options.Devices is null ? rdma.Devices : options.Devices.Select(name => rdma.Find(name)
            ?? throw new InvalidInputException($"RDMA device '{name}' does not exist; 'nspawn-native hca list' shows the devices.")).ToList();
        var names = chosen.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);

        var rules = new List<DeviceAllowEntry>();
        if (options.Devices is null)
        {
            var verbs = rdma.Nodes.FirstOrDefault(n => n.Kind == RdmaNodeKind.Verbs);
            rules.Add(Entry(verbs?.DeviceAllow.ClassRule ?? VerbsClassRule));
        }
        else
        {
            foreach (var device in chosen)
            {
                var node = device.Verbs is null ? null : rdma.Nodes.FirstOrDefault(n => n.Name == device.Verbs.Name)
                    ?? throw new WorkflowException($"RDMA device '{device.Name}' has no uverbs node; 'nspawn-native doctor' says why.");
                rules.Add(Entry(node!.DeviceAllow.PathRule));
            }
        }
        if (rdma.Nodes.Any(n => n.Kind == RdmaNodeKind.RdmaCm) || rdma.ClassNodes.Any(n => n.Kind == RdmaNodeKind.RdmaCm))
            rules.Add(new DeviceAllowEntry(RdmaCm, "rw"));
        foreach (var node in rdma.Nodes.Where(n => n.IbDev is not null && names.Contains(n.IbDev)
                                                   && ((options.Umad && n.Kind == RdmaNodeKind.Umad) || (options.Issm && n.Kind == RdmaNodeKind.Issm))))
            rules.Add(new DeviceAllowEntry(node.Path, "rw"));

        var roce = chosen.Any(d => d.Ports.Any(p => string.Equals(p.LinkLayer, "Ethernet", StringComparison.OrdinalIgnoreCase)));
        return new EnableDevices(rules, options.HostNetwork || roce);
    }

    private static DeviceAllowEntry Entry(string rule) => DeviceAllowEntry.Parse(rule)
        ?? throw new InvalidInputException($"DeviceAllow rule '{rule}' is empty; this is a bug in the device discovery.");
}
