using System.Globalization;
using NspawnNative.Interop.Posix;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>machine.memlock: the memlock limit the running machine's leader actually got (/proc/PID/limits).</summary>
// TODO (workflows): services inside get the container systemd's DefaultLimitMEMLOCK, which can be lower than the
// leader's; reading it needs the container's bus (refused to host root under -U) or its manager files.
internal sealed class LeaderMemlockCheck(DoctorFacts facts) : FactsCheck(facts, "machine.memlock")
{
    /// <summary>Below this, registering the buffers of any real RDMA application fails.</summary>
    public const ulong Enough = 64UL * 1024 * 1024;

    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        if (Facts.Running is not { } running)
            return Skip(Facts.Problem("machine") ?? "not running");
        if (Facts.LeaderLimits is not { } text)
            return Unverified("leader");
        var file = $"/proc/{running.Leader}/limits";
        if (ProcLimits.Parse(text, "Max locked memory") is not { } limit)
            return Skip($"not verified: '{file}' has no 'Max locked memory' line");
        if (limit.Soft == PropertyValues.Infinity)
            return Ok($"the leader (PID {running.Leader}) may lock unlimited memory ('{file}')");

        var (userNamespace, _) = MachineSettings.UserNamespace(Facts);
        var fix = $"LimitMEMLOCK=infinity in '{DropInPath}' ([Service]) and in [Exec] of '{TrustedNspawnPath}', then restart the machine " +
                  $"(or 'nspawn-native rdma enable {Machine}')";
        var reason = $"the leader (PID {running.Leader}) may lock only {Sizes.Format(limit.Soft)} ('{file}'): registering a larger " +
                     "memory region inside fails with ENOMEM" + (userNamespace == true ? ", and CAP_IPC_LOCK does not lift the limit in its user namespace" : "");
        return limit.Soft < Enough ? Fail(reason, fix) : Warn(reason, fix);
    }
}

/// <summary>machine.capabilities: the leader's effective capabilities include CAP_IPC_LOCK (/proc/PID/status).</summary>
internal sealed class LeaderCapabilitiesCheck(DoctorFacts facts) : FactsCheck(facts, "machine.capabilities")
{
    private const int CapIpcLock = 14;

    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        if (Facts.Running is not { } running)
            return Skip(Facts.Problem("machine") ?? "not running");
        if (Facts.LeaderStatus is not { } status)
            return Unverified("leader");
        var file = $"/proc/{running.Leader}/status";
        var line = status.Split('\n').FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        if (line is null || !ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var effective))
            return Skip($"not verified: '{file}' has no readable CapEff line");
        if ((effective & (1UL << CapIpcLock)) != 0)
        {
            var (userNamespace, _) = MachineSettings.UserNamespace(Facts);
            return Ok($"the leader (PID {running.Leader}) holds CAP_IPC_LOCK ('{file}')" +
                      (userNamespace == true ? "; in its user namespace that allows mlock but does not lift the memlock limit" : ""));
        }
        return Fail($"the leader (PID {running.Leader}) lacks CAP_IPC_LOCK ('{file}'): mlock and memory registration are refused inside",
            $"add Capability=CAP_IPC_LOCK to [Exec] in '{TrustedNspawnPath}', then restart the machine");
    }
}

/// <summary>machine.nodes: the host's uverbs and rdma_cm nodes, seen in the machine's own root with the same numbers.</summary>
internal sealed class MachineNodesCheck(DoctorFacts facts) : FactsCheck(facts, "machine.nodes")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        if (Facts.Running is not { } running)
            return Skip(Facts.Problem("machine") ?? "not running");
        if (Facts.Rdma is null)
            return Unverified("rdma");
        if (!Facts.DevicesMatchRoot)
            return Skip("devices are read from a captured tree, not from the machine's host");
        var needed = Facts.NeededNodes;
        if (needed.Count == 0)
            return Skip("no uverbs or rdma_cm node on the host");
        var missing = new List<string>();
        foreach (var node in needed)
        {
            var inside = Facts.Paths.UnderRoot($"/proc/{running.Leader}/root{node.Path}");
            Posix.FileStatus.TryGet(inside, out var st, out _);
            if (st is null || !st.IsCharacterDevice || st.RdevMajor != node.Major || st.RdevMinor != node.Minor)
                missing.Add(node.Path + (st is null ? "" : " (other numbers)"));
        }
        if (missing.Count == 0)
            return Ok($"the machine sees {string.Join(", ", needed.Select(n => n.Name))} as the host does");
        return Fail($"inside '{Machine}' {string.Join(", ", missing)} are missing though the host has them: libibverbs there drops the device",
            $"Bind=/dev/infiniband/ in [Files] of '{TrustedNspawnPath}' (a trusted file), then restart the machine");
    }
}

/// <summary>machine.roce-netdev: the netdevs that own the RoCE GIDs are in the machine's network namespace.</summary>
internal sealed class RoceNetdevCheck(DoctorFacts facts) : FactsCheck(facts, "machine.roce-netdev")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        if (Facts.Running is not { } running)
            return Skip(Facts.Problem("machine") ?? "not running");
        if (Facts.Rdma is not { } rdma)
            return Unverified("rdma");
        var netdevs = rdma.Devices.SelectMany(d => d.Ports.Where(HostRoceGidCheck.IsRoce)
                .SelectMany(p => p.Gids.Select(g => g.Netdev)).Concat(d.Ports.Any(HostRoceGidCheck.IsRoce) ? d.Netdevs : []))
            .OfType<string>().Where(n => n.Length > 0).Distinct().ToList();
        if (netdevs.Count == 0)
            return Skip("no RoCE port with a netdev");
        var file = $"/proc/{running.Leader}/net/dev";
        string text;
        try
        {
            text = File.ReadAllText(Facts.Paths.UnderRoot(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Skip($"not verified: cannot read '{file}': {e.Message.TrimEnd('.')}");
        }
        var seen = text.Split('\n').Select(l => l.Split(':')[0].Trim()).ToHashSet(StringComparer.Ordinal);
        var hidden = netdevs.Where(n => !seen.Contains(n)).ToList();
        if (hidden.Count == 0)
            return Ok($"the machine's network namespace has {string.Join(", ", netdevs)} ('{file}')");
        return Fail($"the RoCE netdev(s) {string.Join(", ", hidden)} are not in the machine's network namespace ('{file}'): " +
                    "the kernel refuses their GIDs to processes inside",
            $"VirtualEthernet=no in [Network] of '{TrustedNspawnPath}' (share the host's network), then restart the machine");
    }
}
