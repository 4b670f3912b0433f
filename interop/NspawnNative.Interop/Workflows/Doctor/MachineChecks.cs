using System.Globalization;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>machine.memlock: the memlock limit the running machine's leader actually got (/proc/PID/limits).</summary>
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
