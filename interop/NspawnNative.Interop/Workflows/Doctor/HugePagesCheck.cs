using System.Globalization;
using NspawnNative.Interop.Userspace;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>
/// Doctor check <c>hugepages</c>: hugetlbfs is mounted at <c>/dev/hugepages</c>, pages are reserved (with how many
/// are free per size), the memlock limit covers them, and a running machine sees the mount.
/// </summary>
public sealed class HugePagesCheck : IDoctorCheck
{
    /// <inheritdoc/>
    public string Name => "hugepages";

    /// <inheritdoc/>
    public Task<IReadOnlyList<DoctorCheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pid = context.LeaderPid?.ToString(CultureInfo.InvariantCulture) ?? "self";
        var host = HugePages.Read(context.Paths);
        var results = new List<DoctorCheckResult>();

        results.Add(host.Mount is not null
            ? new("hugepages.mount", CheckStatus.Ok, $"'{HugePages.MountPoint}' is a hugetlbfs mount ({host.Mount.SuperOptions}).", null)
            : new("hugepages.mount", CheckStatus.Warn, $"'{HugePages.MountPoint}' is not a hugetlbfs mount, so programs cannot map hugepages from it.",
                "Enable dev-hugepages.mount (systemctl enable --now dev-hugepages.mount)."));

        if (host.Pools.Count == 0)
            results.Add(new("hugepages.pools", CheckStatus.Skipped, "The kernel offers no hugepage sizes.", null));
        foreach (var pool in host.Pools)
        {
            var name = $"hugepages.{pool.SizeKb}kB";
            var counts = $"{pool.Total} reserved, {pool.Free} free, {pool.Reserved} promised, {pool.Surplus} surplus";
            results.Add(pool.Total == 0
                ? new(name, CheckStatus.Ok, $"No {pool.SizeKb} kB hugepages are reserved ({counts}).", null)
                : pool.Free == 0
                    ? new(name, CheckStatus.Warn, $"All {pool.SizeKb} kB hugepages are in use ({counts}).",
                        $"Reserve more: echo N > /sys/kernel/mm/hugepages/hugepages-{pool.SizeKb}kB/nr_hugepages.")
                    : new(name, CheckStatus.Ok, $"{pool.SizeKb} kB hugepages: {counts}.", null));
        }

        // TODO (userspace): without a machine this is nspawn-native's own limit; a service's limit would come from
        // its unit (LimitMEMLOCK=) or the container's DefaultLimitMEMLOCK=.
        var limited = context.LeaderPid is null ? host : HugePages.Read(context.Paths, pid);
        var who = context.LeaderPid is null ? "this process" : $"the leader of machine '{context.MachineName}' (PID {pid})";
        if (host.TotalBytes > 0)
        {
            results.Add(limited.MemlockCoversPools
                ? new("hugepages.memlock", CheckStatus.Ok, $"The memlock limit of {who} covers the {host.TotalBytes} bytes of reserved hugepages.", null)
                : new("hugepages.memlock", CheckStatus.Warn,
                    $"The memlock limit of {who} is {limited.MemlockSoftBytes?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} bytes, less than the {host.TotalBytes} bytes of reserved hugepages, so registering them all fails.",
                    "Set LimitMEMLOCK=infinity for the machine (rdma enable does)."));
        }

        if (context.MachineName is not null)
        {
            results.Add(context.LeaderPid is null
                ? new("hugepages.machine", CheckStatus.Skipped, $"Machine '{context.MachineName}' is not running, so its mounts cannot be read.", null)
                : HugePages.FindMount(context.Paths, pid) is not null
                    ? new("hugepages.machine", CheckStatus.Ok, $"Machine '{context.MachineName}' sees the hugetlbfs mount at '{HugePages.MountPoint}'.", null)
                    : new("hugepages.machine", host.Mount is null ? CheckStatus.Skipped : CheckStatus.Warn,
                        $"Machine '{context.MachineName}' does not see a hugetlbfs mount at '{HugePages.MountPoint}'.",
                        host.Mount is null ? null : $"Add Bind={HugePages.MountPoint} to the [Files] section of '{context.MachineName}.nspawn' and restart the machine."));
        }
        return Task.FromResult<IReadOnlyList<DoctorCheckResult>>(results);
    }
}
