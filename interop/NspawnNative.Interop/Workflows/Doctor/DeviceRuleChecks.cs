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
/// machine.path-rules: a DeviceAllow path rule is resolved when the unit starts, so a node created after the start stays
/// denied although the rule names it. Found by comparing the node's inode change time with the machine's start.
/// </summary>
internal sealed class PathRulesCheck(DoctorFacts facts) : FactsCheck(facts, "machine.path-rules")
{
    protected override Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Judge());

    private DoctorCheckResult Judge()
    {
        if (Facts.Running is not { } running)
            return Skip(Facts.Problem("machine") ?? "not running");
        if (Facts.ServiceLive is null || Facts.DeviceRules is not var (rules, _))
            return Unverified("unit");
        if (Facts.Rdma is null)
            return Unverified("rdma");
        if (running.Timestamp is not { } started)
            return Skip("not verified: machined gives no start time");
        if (!Facts.DevicesMatchRoot)
            return Skip("devices are read from a captured tree, not from the machine's host");

        var pathRules = rules.Where(r => r.Device.StartsWith("/dev/infiniband/", StringComparison.Ordinal)).ToList();
        if (pathRules.Count == 0)
            return Ok("no path rule for /dev/infiniband: nothing can go stale");
        var stale = new List<string>();
        var absent = new List<string>();
        foreach (var rule in pathRules)
        {
            var node = Facts.Rdma.Nodes.FirstOrDefault(n => n.Path == rule.Device && n.Present);
            if (node is null)
            {
                absent.Add(rule.Device);
                continue;
            }
            if (rules.Any(r => DeviceRules.IsClassRuleFor(r.Device, node)))
                continue;
            // TODO (workflows): the inode change time stands in for the creation time (devtmpfs gives no birth time
            // here); a chmod or chown of an old node after the start makes it look new.
            var changed = new Mono.Unix.UnixFileInfo(Facts.Paths.UnderDev(node.Path)).LastStatusChangeTimeUtc;
            if (changed > started.UtcDateTime)
                stale.Add($"'{node.Path}' (created {changed:u}, after the machine started at {started.UtcDateTime:u})");
        }
        if (stale.Count > 0)
            return Fail($"path rules are resolved when the unit starts, so these nodes stay denied inside although a rule names them: " +
                        string.Join(", ", stale),
                $"DeviceAllow=char-infiniband_verbs rwm in '{DropInPath}' (a class rule also covers nodes created later), " +
                "or restart the machine");
        if (absent.Count > 0)
            return Warn($"path rules for nodes that do not exist: {string.Join(", ", absent)}; if they appear, they stay denied until a restart",
                $"DeviceAllow=char-infiniband_verbs rwm in '{DropInPath}'");
        return Ok($"every path rule names a node that existed when the machine started ({string.Join(", ", pathRules.Select(r => r.Device))})");
    }
}
