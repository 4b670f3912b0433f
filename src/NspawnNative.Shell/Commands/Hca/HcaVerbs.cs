using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop;
using NspawnNative.Interop.Rdma;

namespace NspawnNative.Shell.Commands.Hca;

/// <summary>hca list/show/nodes: RDMA discovery from sysfs and /dev (issue 3).</summary>
internal sealed class HcaVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session)
    {
        session.Completions.Register("device", _ => Task.FromResult(RdmaDiscovery.DeviceNames(session.Defaults.Paths)));

        var list = new Command("list", "One line per RDMA device: node type, firmware, ports with state and rate, link layer, uverbs node.");
        list.Handle(session, (ctx, ct) => Task.FromResult(List(ctx)));

        var names = new Argument<string[]>("device") { Arity = ArgumentArity.ZeroOrMore, Description = "Devices to show (all when none)." }
            .CompletesWith(session, "device");
        var show = new Command("show", "Per device and port what ibstat and ibv_devinfo show, with the GID table.") { names };
        show.Handle(session, (ctx, ct) => Task.FromResult(Show(ctx, ctx.Get(names) ?? [])));

        var nodes = new Command("nodes", "The /dev/infiniband nodes against sysfs, and the DeviceAllow= entry each needs.");
        nodes.Handle(session, (ctx, ct) => Task.FromResult(Nodes(ctx)));

        return [new Command("hca", "RDMA devices, ports, GIDs and /dev/infiniband nodes, read from sysfs and /dev.") { list, show, nodes }];
    }

    private static RdmaSnapshot Discover(VerbContext ctx, bool requireDevices = true)
    {
        var snapshot = RdmaDiscovery.Discover(ctx.Paths, ctx.Loggers.CreateLogger("discovery"));
        foreach (var warning in snapshot.Warnings)
            ctx.Log.LogWarning("{Warning}", warning);
        if (requireDevices && snapshot.Devices.Count == 0)
            throw new CommandFailedException(NoDevices(snapshot));
        return snapshot;
    }

    private static int List(VerbContext ctx)
    {
        var snapshot = Discover(ctx);
        if (ctx.Json)
        {
            ctx.Out.Json(new HcaDevicesJson(snapshot.Devices, snapshot.Warnings), HcaJsonContext.Default.HcaDevicesJson);
            return ExitCodes.Success;
        }
        var rows = snapshot.Devices.Select(d => (IReadOnlyList<string?>)
        [
            d.Name,
            d.NodeType,
            d.FwVer,
            string.Join(' ', d.Ports.Select(p => $"{p.Port}:{p.State ?? "?"}/{Rate(p)}")),
            string.Join(',', d.Ports.Select(p => p.LinkLayer ?? "?").Distinct()),
            Verbs(d.Verbs),
        ]);
        ctx.Out.Table(["NAME", "TYPE", "FIRMWARE", "PORTS", "LINK", "UVERBS"], rows, Count(snapshot.Devices.Count, "device"));
        return ExitCodes.Success;
    }

    private static int Show(VerbContext ctx, IReadOnlyList<string> names)
    {
        var snapshot = Discover(ctx);
        var devices = new List<RdmaDevice>();
        foreach (var name in names.Count == 0 ? snapshot.Devices.Select(d => d.Name) : names)
        {
            devices.Add(snapshot.Find(name) ?? throw new CommandFailedException(
                $"No RDMA device '{name}' under '{snapshot.ClassDirectory}'; 'hca list' shows the devices."));
        }
        if (ctx.Json)
        {
            ctx.Out.Json(new HcaDevicesJson(devices, snapshot.Warnings), HcaJsonContext.Default.HcaDevicesJson);
            return ExitCodes.Success;
        }
        for (int i = 0; i < devices.Count; i++)
        {
            if (i > 0)
                ctx.Out.Line();
            ShowDevice(ctx, devices[i]);
        }
        return ExitCodes.Success;
    }

    private static void ShowDevice(VerbContext ctx, RdmaDevice d)
    {
        ctx.Out.Line($"CA '{d.Name}'");
        ctx.Out.Fields(
        [
            ("CA type", d.HcaType),
            ("Node type", d.NodeType is null ? null : $"{d.NodeType} ({d.NodeTypeId})"),
            ("Number of ports", d.Ports.Count.ToString(CultureInfo.InvariantCulture)),
            ("Firmware version", d.FwVer),
            ("Hardware version", d.HwRev),
            ("Board ID", d.BoardId),
            ("Node GUID", d.NodeGuid is null ? null : RdmaGuids.Hex(d.NodeGuid)),
            ("System image GUID", d.SysImageGuid is null ? null : RdmaGuids.Hex(d.SysImageGuid)),
            ("Node description", d.NodeDesc),
            ("Uverbs", d.Verbs is null ? "none in sysfs" : Verbs(d.Verbs)),
            ("PCI address", d.PciAddress),
            ("NUMA node", d.NumaNode?.ToString(CultureInfo.InvariantCulture)),
            ("Driver", d.Driver),
            ("Netdevs", d.Netdevs.Count == 0 ? null : string.Join(", ", d.Netdevs)),
        ], indent: 2);
        foreach (var p in d.Ports)
        {
            ctx.Out.Line($"  Port {p.Port}:");
            ctx.Out.Fields(
            [
                ("State", Named(p.State, p.StateId)),
                ("Physical state", Named(p.PhysState, p.PhysStateId)),
                ("Rate", p.RateText),
                ("Base lid", p.Lid?.ToString(CultureInfo.InvariantCulture)),
                ("LMC", p.Lmc?.ToString(CultureInfo.InvariantCulture)),
                ("SM lid", p.SmLid?.ToString(CultureInfo.InvariantCulture)),
                ("Capability mask", p.CapMask is uint m ? $"0x{m:x8}" : null),
                ("Port GUID", p.PortGuid),
                ("Link layer", p.LinkLayer),
            ], indent: 4);
            if (p.Gids.Count > 0)
            {
                ctx.Out.Line("    GIDs:");
                foreach (var g in p.Gids)
                    ctx.Out.Line($"      {g.Index,3} {g.Gid} {g.Type ?? "-"} {g.Netdev ?? "-"}");
            }
        }
    }

    private static int Nodes(VerbContext ctx)
    {
        var snapshot = Discover(ctx, requireDevices: false);
        if (snapshot.Devices.Count == 0 && snapshot.Nodes.Count == 0)
            throw new CommandFailedException(NoDevices(snapshot));
        var withoutVerbs = snapshot.Devices.Where(d => d.Verbs is null).Select(d => d.Name).ToList();
        if (ctx.Json)
        {
            ctx.Out.Json(new HcaNodesJson(snapshot.Nodes, withoutVerbs, snapshot.Warnings), HcaJsonContext.Default.HcaNodesJson);
            return ExitCodes.Success;
        }
        var rows = snapshot.Nodes.Select(n => (IReadOnlyList<string?>)
        [
            n.Path,
            n.IbDev,
            n.Major is null ? null : $"{n.Major}:{n.Minor}",
            n.Mode,
            n.Uid is null ? null : $"{n.Owner ?? n.Uid.ToString()}:{n.Group ?? n.Gid.ToString()}",
            Status(n),
            n.CanOpen is null ? null : n.CanOpen.Value ? "yes" : "no",
            n.DeviceAllow.PathRule,
        ]);
        ctx.Out.Table(["NODE", "DEVICE", "MAJ:MIN", "MODE", "OWNER", "STATUS", "OPEN", "DEVICEALLOW"], rows,
            Count(snapshot.Nodes.Count, "node"));
        // The classic container failure seen from the other side: without a uverbs node libibverbs skips the device.
        foreach (var name in withoutVerbs)
            ctx.Out.Line($"{name}: sysfs announces no uverbs node; libibverbs will not list this device.");
        return ExitCodes.Success;
    }

    private static string Status(RdmaDevNode n) => n.Status switch
    {
        RdmaNodeStatus.Mismatch when n.IsCharacterDevice == false => "mismatch (not a character device)",
        RdmaNodeStatus.Mismatch => $"mismatch (sysfs says {n.ExpectedMajor}:{n.ExpectedMinor})",
        RdmaNodeStatus.Unknown => "present (not in sysfs)",
        _ => n.Status.ToString().ToLowerInvariant(),
    };

    private static string Verbs(RdmaVerbsNode? v) => v is null ? "none" : v.NodeStatus switch
    {
        RdmaNodeStatus.Present => v.Name,
        RdmaNodeStatus.Missing => $"{v.Name} (missing in /dev)",
        _ => $"{v.Name} ({v.NodeStatus.ToString().ToLowerInvariant()})",
    };

    private static string Rate(RdmaPort p) => p.RateGbps?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string? Named(string? name, int? id) => name is null ? null : $"{name} ({id})";

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")} listed.";

    private static string NoDevices(RdmaSnapshot snapshot) =>
        $"no RDMA devices found under '{snapshot.ClassDirectory}'; load the HCA's driver (soft-RoCE: 'modprobe rdma_rxe', " +
        "then 'rdma link add rxe0 type rxe netdev NIC'), or give --sysfs-root for a captured tree.";
}
