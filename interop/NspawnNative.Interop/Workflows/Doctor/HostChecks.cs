using NspawnNative.Interop.Rdma;
using NspawnNative.Interop.Verbs;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>host.devices: the host has RDMA devices in sysfs.</summary>
internal sealed class HostDevicesCheck(DoctorFacts facts) : FactsCheck(facts, "host.devices")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Facts.Rdma is not { } rdma)
            return Task.FromResult(Unverified("rdma"));
        return Task.FromResult(rdma.Devices.Count == 0
            ? Fail($"no RDMA device in '{rdma.ClassDirectory}'",
                "load the adapter's kernel driver (for example 'modprobe mlx5_ib'; for soft-RoCE 'rdma link add rxe0 type rxe netdev IF')")
            : Ok($"{rdma.Devices.Count} device(s): {string.Join(", ", rdma.Devices.Select(d => d.Name + (d.Driver is null ? "" : $" ({d.Driver})")))}"));
    }
}

/// <summary>host.ports: every device has an active port.</summary>
internal sealed class HostPortsCheck(DoctorFacts facts) : FactsCheck(facts, "host.ports")
{
    private const int Active = 4;

    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Facts.Rdma is not { } rdma)
            return Task.FromResult(Unverified("rdma"));
        if (rdma.Devices.Count == 0)
            return Task.FromResult(Skip("no RDMA device"));
        var down = rdma.Devices.SelectMany(d => d.Ports.Where(p => p.StateId != Active).Select(p => $"{d.Name}/{p.Port} ({p.State ?? "state unknown"})")).ToList();
        var dead = rdma.Devices.Where(d => !d.Ports.Any(p => p.StateId == Active)).Select(d => d.Name).ToList();
        const string Fix = "check the link (cable, switch, subnet manager on InfiniBand; 'ip link set IF up' for RoCE)";
        if (dead.Count > 0)
            return Task.FromResult(Fail($"no active port on {string.Join(", ", dead)}: {string.Join(", ", down)}", Fix));
        if (down.Count > 0)
            return Task.FromResult(Warn($"ports not active: {string.Join(", ", down)}", Fix));
        return Task.FromResult(Ok($"every port is active ({rdma.Devices.Sum(d => d.Ports.Count)} port(s))"));
    }
}

/// <summary>host.provider: libibverbs loads and a provider opens each device whose node exists.</summary>
internal sealed class HostProviderCheck(DoctorFacts facts) : FactsCheck(facts, "host.provider")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Facts.Rdma is not { } rdma)
            return Task.FromResult(Unverified("rdma"));
        if (!Facts.DevicesAreLive)
            return Task.FromResult(Skip("devices are read from a captured tree; libibverbs can only open this host's"));
        if (rdma.Devices.Count == 0)
            return Task.FromResult(Skip("no RDMA device"));
        if (!VerbsLibrary.IsAvailable)
            return Task.FromResult(Fail("libibverbs.so.1 cannot be loaded on the host", "install libibverbs1 (rdma-core)"));

        var listed = VerbsContext.ListDevices().Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        var opened = new List<string>();
        foreach (var device in rdma.Devices)
        {
            var node = device.Verbs is null ? null : rdma.Nodes.FirstOrDefault(n => n.Name == device.Verbs.Name);
            if (node is not { Status: RdmaNodeStatus.Present })
                continue; // libibverbs drops a device without its node; host.uverbs-nodes names that.
            if (!listed.Contains(device.Name))
            {
                problems.Add($"libibverbs lists no '{device.Name}' although its node exists: no provider for driver '{device.Driver ?? "unknown"}'");
                continue;
            }
            try
            {
                using var context = VerbsContext.Open(device.Name);
                opened.Add(device.Name);
            }
            catch (VerbsException e)
            {
                problems.Add(e.Message.TrimEnd('.'));
            }
        }
        if (problems.Count > 0)
            return Task.FromResult(Fail(string.Join("; ", problems),
                "install the provider for the device's driver (Debian: ibverbs-providers; or the vendor's rdma-core)"));
        return Task.FromResult(opened.Count == 0
            ? Skip("no device with its uverbs node to open")
            : Ok($"libibverbs opens {string.Join(", ", opened)}"));
    }
}

/// <summary>host.uverbs-nodes: each device's uverbs node exists in /dev with the numbers sysfs gives it.</summary>
internal sealed class HostUverbsNodesCheck(DoctorFacts facts) : FactsCheck(facts, "host.uverbs-nodes")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Facts.Rdma is not { } rdma)
            return Task.FromResult(Unverified("rdma"));
        if (rdma.Devices.Count == 0)
            return Task.FromResult(Skip("no RDMA device"));
        var reasons = new List<string>();
        var fixes = new List<string>();
        var good = new List<string>();
        foreach (var device in rdma.Devices)
        {
            if (device.Verbs is not { } verbs)
            {
                reasons.Add($"'{device.Name}' has no uverbs device in sysfs");
                fixes.Add("modprobe ib_uverbs");
                continue;
            }
            var node = rdma.Nodes.FirstOrDefault(n => n.Name == verbs.Name);
            var numbers = node?.ExpectedMajor is { } major ? $"{major}:{node.ExpectedMinor}" : verbs.Dev ?? "?";
            var path = $"/dev/infiniband/{verbs.Name}";
            var make = $"mknod -m 0666 {path} c {numbers.Replace(':', ' ')}";
            switch (node?.Status)
            {
                case RdmaNodeStatus.Present:
                    good.Add($"{path} ({numbers}) for {device.Name}");
                    break;
                case RdmaNodeStatus.Mismatch:
                    reasons.Add($"'{path}' is {(node.IsCharacterDevice == true ? $"{node.Major}:{node.Minor}" : "not a character device")} " +
                                $"but sysfs gives '{device.Name}' {numbers}: libibverbs opens the wrong device or none");
                    fixes.Add($"recreate it as {numbers}: rm {path}; {make} (or 'udevadm trigger')");
                    break;
                default:
                    reasons.Add($"'{path}' is missing while sysfs has '{device.Name}' ({numbers}): libibverbs silently drops the device");
                    fixes.Add($"create {verbs.Name}: {make} (udev normally does; 'udevadm trigger')");
                    break;
            }
        }
        return Task.FromResult(reasons.Count > 0
            ? Fail(string.Join("; ", reasons), string.Join("; ", fixes.Distinct()))
            : Ok(string.Join(", ", good)));
    }
}

/// <summary>host.rdma-cm: the RDMA connection manager's node exists (librdmacm programs need it).</summary>
internal sealed class HostRdmaCmCheck(DoctorFacts facts) : FactsCheck(facts, "host.rdma-cm")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Facts.Rdma is not { } rdma)
            return Task.FromResult(Unverified("rdma"));
        var node = rdma.Nodes.FirstOrDefault(n => n.Kind == RdmaNodeKind.RdmaCm);
        var announced = rdma.ClassNodes.Any(n => n.Kind == RdmaNodeKind.RdmaCm);
        if (node is { Status: RdmaNodeStatus.Present })
            return Task.FromResult(Ok($"'{node.Path}' ({node.Major}:{node.Minor})"));
        if (node is { Status: RdmaNodeStatus.Unknown })
            return Task.FromResult(Ok($"'{node.Path}' exists (sysfs does not announce it, so its numbers are not compared)"));
        if (node is { Status: RdmaNodeStatus.Mismatch })
            return Task.FromResult(Fail($"'{node.Path}' is {node.Major}:{node.Minor} but sysfs gives {node.ExpectedMajor}:{node.ExpectedMinor}",
                $"recreate it: rm {node.Path}; mknod -m 0666 {node.Path} c {node.ExpectedMajor} {node.ExpectedMinor} (or reload rdma_ucm)"));
        return Task.FromResult(announced
            ? Fail("'/dev/infiniband/rdma_cm' is missing although rdma_ucm is loaded: RDMA CM programs (librdmacm) cannot connect",
                "create it: 'udevadm trigger' (or reload rdma_ucm)")
            : Fail("the RDMA connection manager is not loaded (no '/sys/class/misc/rdma_cm', no '/dev/infiniband/rdma_cm'): " +
                   "RDMA CM programs (librdmacm) cannot connect", "modprobe rdma_ucm"));
    }
}

/// <summary>host.roce-gid: every RoCE port has a usable GID (its netdev has an address).</summary>
internal sealed class HostRoceGidCheck(DoctorFacts facts) : FactsCheck(facts, "host.roce-gid")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Facts.Rdma is not { } rdma)
            return Task.FromResult(Unverified("rdma"));
        var roce = rdma.Devices.SelectMany(d => d.Ports.Where(IsRoce).Select(p => (Device: d, Port: p))).ToList();
        if (roce.Count == 0)
            return Task.FromResult(Skip("no RoCE port"));
        var empty = roce.Where(r => r.Port.Gids.Count == 0).ToList();
        if (empty.Count > 0)
        {
            var netdevs = empty.SelectMany(r => r.Device.Netdevs).Distinct().ToList();
            var names = netdevs.Count > 0 ? string.Join(", ", netdevs) : "the port's netdev";
            return Task.FromResult(Fail(
                $"RoCE port(s) {string.Join(", ", empty.Select(r => $"{r.Device.Name}/{r.Port.Port}"))} have no usable GID: " +
                "RoCE addresses peers by GID, so no connection can be set up",
                $"bring {names} up and give it an IP address (ip link set IF up; ip address add ADDR dev IF)"));
        }
        return Task.FromResult(Ok(string.Join(", ", roce.Select(r =>
            $"{r.Device.Name}/{r.Port.Port}: {r.Port.Gids.Count} GID(s)" +
            (r.Port.Gids.FirstOrDefault(g => g.Type?.Contains("v2", StringComparison.Ordinal) == true) is { } v2 ? $", RoCE v2 at index {v2.Index}" : "")))));
    }

    internal static bool IsRoce(RdmaPort port) => string.Equals(port.LinkLayer, "Ethernet", StringComparison.OrdinalIgnoreCase);
}
