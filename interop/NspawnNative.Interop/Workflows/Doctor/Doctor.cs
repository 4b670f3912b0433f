using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>What a doctor run looks at.</summary>
/// <param name="Machine">The machine whose configuration and running state are checked; null for the host only.</param>
/// <param name="SelfTest">Also run a ping-pong from inside the machine against a server on the host.</param>
/// <param name="SelfTestClient">The program to run inside the machine as the self-test client: a copy of an
/// nspawn-native binary (it is copied into the machine's root for the run); null to use the machine's own
/// <c>ibv_rc_pingpong</c>.</param>
public sealed record DoctorRequest(string? Machine = null, bool SelfTest = false, string? SelfTestClient = null);

/// <summary>The verdict of a doctor run: one result per check, in the order they ran.</summary>
/// <param name="Machine">The machine checked, or null for the host only.</param>
/// <param name="Results">The results.</param>
public sealed record DoctorReport(string? Machine, IReadOnlyList<DoctorCheckResult> Results)
{
    /// <summary>True when at least one check failed.</summary>
    public bool Failed => Results.Any(r => r.Status == CheckStatus.Fail);
}

/// <summary>
/// Checks the whole chain RDMA in a machine depends on, link by link: the host (devices, ports, providers, nodes,
/// rdma_cm, RoCE GIDs), the machine's configuration (.nspawn trust, CAP_IPC_LOCK, user namespace, binds, device
/// rules, the unit's memlock limit, pending reloads) and the running machine (the leader's limits and capabilities,
/// the nodes in its root, path rules for nodes created after the start, RoCE netdevs in its network namespace, and
/// optionally a ping-pong from inside). Each check is a small independent object; a check that cannot read what it
/// needs says so rather than guessing. Findings only: it changes nothing and prints nothing.
/// </summary>
/// <param name="paths">The roots.</param>
/// <param name="bus">The system bus; null when it is not available (the live checks are then skipped).</param>
/// <param name="logger">Debug logging; none when null.</param>
public sealed class Doctor(HostPaths paths, SystemdBus? bus, ILogger? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    /// <summary>Runs every check that applies to <paramref name="request"/>.</summary>
    /// <param name="request">The machine (or none) and options.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidInputException">The machine name is not valid.</exception>
    public async Task<DoctorReport> RunAsync(DoctorRequest request, CancellationToken cancellationToken)
    {
        var facts = await DoctorFacts.GatherAsync(paths, request.Machine, bus, cancellationToken).ConfigureAwait(false);
        var context = Context(facts);
        var results = new List<DoctorCheckResult>();
        foreach (var check in Checks(facts, request))
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.AddRange(await RunOneAsync(check, context, cancellationToken).ConfigureAwait(false));
        }
        return new DoctorReport(facts.Machine, results);
    }

    /// <summary>The checks for a run, in the order of the chain: host, configuration, running machine.</summary>
    internal IReadOnlyList<IDoctorCheck> Checks(DoctorFacts facts, DoctorRequest request)
    {
        var checks = new List<IDoctorCheck>
        {
            new HostDevicesCheck(facts), new HostPortsCheck(facts), new HostProviderCheck(facts), new HostUverbsNodesCheck(facts),
            new HostRdmaCmCheck(facts), new HostRoceGidCheck(facts),
        };
        if (facts.Machine is null)
        {
            checks.Add(new HugePagesCheck());
            return checks;
        }
        checks.AddRange([
            new NspawnFileCheck(facts), new CapabilityCheck(facts), new PrivateUsersCheck(facts), new BindCheck(facts),
            new DeviceAllowCheck(facts), new UnitMemlockCheck(facts), new DaemonReloadCheck(facts),
            new LeaderMemlockCheck(facts), new LeaderCapabilitiesCheck(facts), new MachineNodesCheck(facts),
            new PathRulesCheck(facts), new RoceNetdevCheck(facts),
        ]);
        checks.Add(new UserspaceCheck());
        checks.Add(new HugePagesCheck());
        if (request.SelfTest)
            checks.Add(new SelfTestCheck(facts, request.SelfTestClient));
        return checks;
    }

    /// <summary>The context the userspace checks read: the machine's root and leader as machined reports them.</summary>
    private DoctorContext Context(DoctorFacts facts)
    {
        if (facts.Machine is null)
            return DoctorContext.ForHost(paths);
        var root = facts.Running is { RootDirectory.Length: > 0 } running
            ? paths.UnderRoot(running.RootDirectory)
            : Userspace.MachineLocation.Find(paths, facts.Machine).RootDirectory;
        return DoctorContext.ForMachine(paths, facts.Machine, root, facts.Running is null ? null : (int)facts.Running.Leader);
    }

    private async Task<IReadOnlyList<DoctorCheckResult>> RunOneAsync(IDoctorCheck check, DoctorContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await check.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NspawnNativeException or IOException or UnauthorizedAccessException)
        {
            // A check that breaks has verified nothing: say so instead of blaming the link it looks at.
            _log.LogDebug(e, "Doctor check {Check} could not run", check.Name);
            return [new DoctorCheckResult(check.Name, CheckStatus.Warn, $"not verified: {e.Message.TrimEnd('.')}", null)];
        }
    }
}
