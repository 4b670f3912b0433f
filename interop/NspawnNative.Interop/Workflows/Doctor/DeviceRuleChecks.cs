using System.Text.RegularExpressions;
using NspawnNative.Interop.Rdma;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>Whether DeviceAllow rules let a node be opened for reading and writing.</summary>
internal static class DeviceRules
{
    /// <summary>True when <paramref name="rule"/> names the node's path, or its class (<c>char-NAME</c>, globs
    /// allowed as systemd matches them against /proc/devices), with read and write access.</summary>
    public static bool Covers((string Device, string Access) rule, RdmaDevNode node) =>
        rule.Access.Contains('r') && rule.Access.Contains('w')
        && (rule.Device == node.Path || IsClassRuleFor(rule.Device, node));

    public static bool IsClassRuleFor(string device, RdmaDevNode node)
    {
        if (!device.StartsWith("char-", StringComparison.Ordinal))
            return false;
        var wanted = node.DeviceAllow.ClassRule.Split(' ')[0];
        return device.Contains('*')
            ? Regex.IsMatch(wanted, "^" + Regex.Escape(device).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant)
            : device == wanted;
    }

    /// <summary>True when the policy lets every device through (no rules under <c>auto</c>).</summary>
    public static bool AllowsEverything(IReadOnlyList<(string Device, string Access)> rules, string policy) =>
        policy == "auto" && rules.Count == 0;
}

/// <summary>config.device-allow: DevicePolicy and the effective DeviceAllow rules cover every node the machine needs.</summary>
internal sealed class DeviceAllowCheck(DoctorFacts facts) : FactsCheck(facts, "config.device-allow")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        if (Facts.DeviceRules is not var (rules, policy))
            return Unverified("unit");
        if (Facts.Rdma is null)
            return Unverified("rdma");
        var source = Facts.ServiceLive is null ? "its unit files" : "systemd";
        if (DeviceRules.AllowsEverything(rules, policy))
            return Ok($"DevicePolicy=auto with no DeviceAllow rule ({source}): every device is allowed");
        var needed = Facts.NeededNodes;
        if (needed.Count == 0)
            return Skip("no uverbs or rdma_cm node on the host to allow");
        var denied = needed.Where(n => !rules.Any(r => DeviceRules.Covers(r, n))).ToList();
        if (denied.Count == 0)
            return Ok($"DevicePolicy={policy}; the DeviceAllow rules ({source}) cover {string.Join(", ", needed.Select(n => n.Name))}");
        return Fail($"DevicePolicy={policy} and no DeviceAllow rule of '{Facts.Unit}' ({source}) covers " +
                    $"{string.Join(", ", denied.Select(n => n.Path))}: opening them inside fails with EPERM",
            $"DeviceAllow=char-infiniband_verbs rwm and DeviceAllow=/dev/infiniband/rdma_cm rw in '{DropInPath}' ([Service]), " +
            $"then daemon-reload and a restart (or 'nspawn-native rdma enable {Machine}')");
    }
}

/// <summary>
/// machine.path-rules: a DeviceAllow path rule is resolved when the unit starts; a node that did not exist then stays
/// denied although the rule names it. Verified, not guessed: each node allowed only by a path rule is opened from
/// inside the machine, through its own systemd, and a refusal is reported.
/// </summary>
/// <param name="facts">The run's facts.</param>
/// <param name="probe">Opens nodes inside the machine and says which opened; null for the real one (OpenMachineShell).</param>
internal sealed class PathRulesCheck(DoctorFacts facts, PathRulesCheck.Probe? probe = null) : FactsCheck(facts, "machine.path-rules")
{
    /// <summary>Opens each path read-write inside the machine; true where the open succeeded.</summary>
    public delegate Task<IReadOnlyDictionary<string, bool>> Probe(IReadOnlyList<string> paths, CancellationToken cancellationToken);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    protected override async Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Facts.Running is null)
            return Skip(Facts.Problem("machine") ?? "not running");
        if (Facts.ServiceLive is null || Facts.DeviceRules is not var (rules, _))
            return Unverified("unit");
        if (Facts.Rdma is null)
            return Unverified("rdma");
        if (!Facts.DevicesMatchRoot)
            return Skip("devices are read from a captured tree, not from the machine's host");

        var pathRules = rules.Where(r => r.Device.StartsWith("/dev/infiniband/", StringComparison.Ordinal)).ToList();
        if (pathRules.Count == 0)
            return Ok("no path rule for /dev/infiniband: nothing can go stale");
        var absent = new List<string>();
        var toProbe = new List<string>();
        foreach (var rule in pathRules)
        {
            var node = Facts.Rdma.Nodes.FirstOrDefault(n => n.Path == rule.Device && n.Present);
            if (node is null)
                absent.Add(rule.Device);
            else if (node.Kind is RdmaNodeKind.Verbs or RdmaNodeKind.RdmaCm && !rules.Any(r => DeviceRules.IsClassRuleFor(r.Device, node)))
                toProbe.Add(node.Path);
        }

        if (toProbe.Count > 0)
        {
            if (probe is null && Facts.Bus is null)
                return Unverified("machine");
            var opened = await (probe ?? OpenInsideAsync)(toProbe, cancellationToken).ConfigureAwait(false);
            if (opened.Count == 0)
                return Warn($"not verified: the shell inside '{Machine}' said nothing about {string.Join(", ", toProbe)}");
            var denied = toProbe.Where(p => opened.TryGetValue(p, out var ok) && !ok).ToList();
            if (denied.Count > 0)
                return Fail($"a path rule names {string.Join(", ", denied.Select(p => $"'{p}'"))} but opening it inside '{Machine}' is refused: " +
                            "path rules are resolved when the unit starts, and the node did not exist then",
                    $"DeviceAllow=char-infiniband_verbs rwm in '{DropInPath}' (a class rule also covers nodes created later), " +
                    "or restart the machine");
        }
        if (absent.Count > 0)
            return Warn($"path rules for nodes that do not exist: {string.Join(", ", absent)}; if they appear, they stay denied until a restart",
                $"DeviceAllow=char-infiniband_verbs rwm in '{DropInPath}'");
        return Ok(toProbe.Count == 0
            ? $"class rules cover every node the path rules name ({string.Join(", ", pathRules.Select(r => r.Device))})"
            : $"{string.Join(", ", toProbe)} open inside the machine as their path rules allow");
    }

    /// <summary>The real probe: one shell inside the machine opens each node read-write (as libibverbs does) and says
    /// which opened. Nodes missing inside are left out (machine.nodes names them).</summary>
    private async Task<IReadOnlyDictionary<string, bool>> OpenInsideAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var list = string.Join(' ', paths.Select(p => $"'{p}'"));
        var script = $"for n in {list}; do if [ ! -e \"$n\" ]; then echo \"absent $n\"; " +
                     "elif (exec 3<>\"$n\") 2>/dev/null; then echo \"open $n\"; else echo \"denied $n\"; fi; done";
        var output = await InsideShell.RunAsync(Facts.Bus!, Machine, script, Timeout, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("open ", StringComparison.Ordinal))
                result[line[5..].Trim()] = true;
            else if (line.StartsWith("denied ", StringComparison.Ordinal))
                result[line[7..].Trim()] = false;
        }
        return result;
    }
}
