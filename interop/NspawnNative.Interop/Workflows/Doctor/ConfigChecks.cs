using NspawnNative.Interop.Config;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>config.nspawn-file: which .nspawn file nspawn uses for the machine, and whether it trusts it.</summary>
internal sealed class NspawnFileCheck(DoctorFacts facts) : FactsCheck(facts, "config.nspawn-file")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        if (Facts.Nspawn is not { } file)
            return Unverified("nspawn");
        if (file.Location.Path is not { } path)
            return Warn($"machine '{Machine}' has no .nspawn file: nspawn runs it without CAP_IPC_LOCK and without /dev/infiniband",
                $"nspawn-native rdma enable {Machine}");
        if (!file.Location.IsTrusted)
        {
            var ignored = file.Settings.Where(s => s.IsIgnored && s.Known is not null).Select(s => s.Name).Distinct().ToList();
            return Fail($"'{path}' is untrusted (it lies next to the image): nspawn ignores its privileged settings" +
                        (ignored.Count > 0 ? $" ({string.Join(", ", ignored)})" : ""),
                $"move it to '{TrustedNspawnPath}' (or run 'nspawn-native rdma enable {Machine}', which starts the trusted file from it)");
        }
        if (file.IsExecutable)
            return Warn($"'{path}' is executable, which nspawn warns about", $"chmod 0644 '{path}'");
        if (file.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
            return Warn($"'{path}' is trusted but nspawn ignores part of it: {error.Message.TrimEnd('.')}", $"nspawn-native nspawn validate {Machine}");
        return Ok($"'{path}' is the effective file and it is trusted");
    }
}

/// <summary>config.capability: the machine keeps CAP_IPC_LOCK (nspawn's seccomp filter allows mlock only then).</summary>
internal sealed class CapabilityCheck(DoctorFacts facts) : FactsCheck(facts, "config.capability")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        if (Facts.Nspawn is null)
            return Unverified("nspawn");
        if (MachineSettings.Grants(MachineSettings.Honoured(Facts, "Exec", "Capability"), "CAP_IPC_LOCK"))
            return Ok($"'{Facts.Nspawn.Location.Path}' keeps CAP_IPC_LOCK");
        var fix = $"add Capability=CAP_IPC_LOCK to [Exec] in '{TrustedNspawnPath}'";
        if (MachineSettings.Grants(MachineSettings.Ignored(Facts, "Exec", "Capability"), "CAP_IPC_LOCK"))
            return Fail($"CAP_IPC_LOCK is asked for in untrusted '{Facts.Nspawn.Location.Path}' and ignored", fix);
        return Fail("the machine does not keep CAP_IPC_LOCK: nspawn's seccomp filter then refuses mlock, which memory registration needs", fix);
    }
}

/// <summary>config.private-users: a user namespace makes CAP_IPC_LOCK useless for pinning, so the unit's limit matters.</summary>
internal sealed class PrivateUsersCheck(DoctorFacts facts) : FactsCheck(facts, "config.private-users")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var (userNamespace, how) = MachineSettings.UserNamespace(Facts);
        if (userNamespace is null)
            return Task.FromResult(Skip($"not verified: {how}"));
        if (userNamespace == false)
            return Task.FromResult(Ok($"no user namespace ({how}): CAP_IPC_LOCK lifts the memlock limit"));
        var limit = UnitMemlockCheck.UnitLimit(Facts);
        if (limit == PropertyValues.Infinity)
            return Task.FromResult(Ok($"user namespace ({how}); the unit's LimitMEMLOCK=infinity makes up for CAP_IPC_LOCK not counting there"));
        return Task.FromResult(Warn($"user namespace ({how}): CAP_IPC_LOCK inside it does not lift the memlock limit, so the unit's LimitMEMLOCK must",
            $"LimitMEMLOCK=infinity in '{DropInPath}', or PrivateUsers=no in [Exec] of '{TrustedNspawnPath}'"));
    }
}

/// <summary>config.bind: /dev/infiniband is bound into the machine by a setting nspawn honours.</summary>
internal sealed class BindCheck(DoctorFacts facts) : FactsCheck(facts, "config.bind")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        if (Facts.Nspawn is null)
            return Unverified("nspawn");
        var honoured = Sources(MachineSettings.Honoured(Facts, "Files", "Bind").Concat(MachineSettings.Honoured(Facts, "Files", "BindReadOnly")));
        if (honoured.Count > 0)
            return Ok($"'{Facts.Nspawn.Location.Path}' binds {string.Join(", ", honoured.Select(s => $"'{s}'"))}");
        var fix = $"add Bind=/dev/infiniband/ to [Files] in '{TrustedNspawnPath}'";
        var ignored = Sources(MachineSettings.Ignored(Facts, "Files", "Bind").Concat(MachineSettings.Ignored(Facts, "Files", "BindReadOnly")));
        if (ignored.Count > 0)
            return Fail($"/dev/infiniband is bound only by untrusted '{Facts.Nspawn.Location.Path}', which nspawn ignores", fix);
        return Fail("nothing binds /dev/infiniband into the machine: libibverbs there finds no uverbs node and drops the device", fix);
    }

    private static List<string> Sources(IEnumerable<string> values) => values.Select(v => ConfigValues.SplitBind(v).Source.TrimStart('-', '+'))
        .Where(s => s.TrimEnd('/') == "/dev/infiniband" || s.StartsWith("/dev/infiniband/", StringComparison.Ordinal)).Distinct().ToList();
}

/// <summary>config.unit-memlock: the unit's LimitMEMLOCK, which bounds the container under a user namespace.</summary>
internal sealed class UnitMemlockCheck(DoctorFacts facts) : FactsCheck(facts, "config.unit-memlock")
{
    /// <summary>The unit's soft LimitMEMLOCK: systemd's live value, else the files' (unset counts as unknown).</summary>
    public static ulong? UnitLimit(DoctorFacts facts)
    {
        if (facts.ServiceLive is { } service)
            return service.LimitMemlock.Soft;
        return facts.UnitFiles?.LimitMemlock is { } text && ConfigValues.ParseLimit(text) is { } limit ? limit.Soft : null;
    }

    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        var unit = Facts.Unit!;
        if (UnitLimit(Facts) is not { } limit)
            return Facts.ServiceLive is null && Facts.UnitFiles is { LimitMemlock: null }
                ? Warn($"'{unit}' sets no LimitMEMLOCK: the manager's default applies (8 MiB unless changed)",
                    $"LimitMEMLOCK=infinity in '{DropInPath}' ([Service])")
                : Unverified("unit");
        if (limit == PropertyValues.Infinity)
            return Ok($"LimitMEMLOCK of '{unit}' is infinity");

        var (userNamespace, how) = MachineSettings.UserNamespace(Facts);
        var fix = $"LimitMEMLOCK=infinity in '{DropInPath}' ([Service]), then daemon-reload and a restart (or 'nspawn-native rdma enable {Machine}')";
        if (userNamespace != false)
            return Fail($"LimitMEMLOCK of '{unit}' is {Sizes.Format(limit)} and the machine runs in a user namespace ({how}): " +
                        "neither the .nspawn LimitMEMLOCK nor CAP_IPC_LOCK can lift it there, so pinning more fails with ENOMEM", fix);
        var nspawn = MachineSettings.Honoured(Facts, "Exec", "LimitMEMLOCK").LastOrDefault();
        if (nspawn is not null && ConfigValues.ParseLimit(nspawn) is { Soft: PropertyValues.Infinity })
            return Ok($"LimitMEMLOCK of '{unit}' is {Sizes.Format(limit)}, but without a user namespace nspawn raises the " +
                      $"container's limit to LimitMEMLOCK={nspawn} from '{Facts.Nspawn!.Location.Path}'");
        return Warn($"LimitMEMLOCK of '{unit}' is {Sizes.Format(limit)} and no trusted .nspawn LimitMEMLOCK raises it", fix);
    }
}

/// <summary>config.daemon-reload: systemd runs the unit as its files say (NeedDaemonReload is false).</summary>
internal sealed class DaemonReloadCheck(DoctorFacts facts) : FactsCheck(facts, "config.daemon-reload")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Facts.UnitLive is not { } unit)
            return Task.FromResult(Unverified("unit"));
        return Task.FromResult(unit.NeedDaemonReload
            ? Fail($"the files of '{Facts.Unit}' changed since systemd loaded them: it still uses the old settings",
                "systemctl daemon-reload (or 'nspawn-native daemon-reload'), then restart the machine")
            : Ok($"systemd's view of '{Facts.Unit}' matches its files"));
    }
}
