using NspawnNative.Interop.Userspace;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>
/// Doctor check <c>userspace</c>: the machine's root has libibverbs, a provider for each host HCA whose ABI its
/// libibverbs loads, and the host's rdma-core release.
/// </summary>
public sealed class UserspaceCheck : IDoctorCheck
{
    /// <inheritdoc/>
    public string Name => "userspace";

    /// <inheritdoc/>
    public Task<IReadOnlyList<DoctorCheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.MachineRoot is null || !Directory.Exists(context.MachineRoot))
        {
            return Task.FromResult<IReadOnlyList<DoctorCheckResult>>(
                [new(Name, CheckStatus.Skipped, "No machine root directory to read the container's RDMA userspace from.", null)]);
        }
        var comparison = UserspaceComparison.Compare(
            RdmaUserspaceReader.Read(context.Paths.Root), RdmaUserspaceReader.Read(context.MachineRoot), HcaDrivers.Read(context.Paths));
        return Task.FromResult(ToResults(comparison));
    }

    /// <summary>Turns a comparison into results: each mismatch, and an ok result for each part that matches.</summary>
    /// <param name="comparison">The host and the container side by side.</param>
    public static IReadOnlyList<DoctorCheckResult> ToResults(UserspaceComparison comparison)
    {
        var results = comparison.Mismatches
            .Select(m => new DoctorCheckResult($"userspace.{m.Subject}", m.Matters ? CheckStatus.Fail : CheckStatus.Warn, m.Reason, m.Fix))
            .ToList();
        bool Flagged(string subject) => comparison.Mismatches.Any(m => m.Subject == subject);

        if (!Flagged("libibverbs") && comparison.Container.Libibverbs is { } v)
            results.Add(new("userspace.libibverbs", CheckStatus.Ok, $"The container has libibverbs {v.Version ?? "(unknown version)"} (provider ABI {Show(v.ProviderAbi)}).", null));
        if (!Flagged("rdma-core") && comparison.Container.Libibverbs?.RdmaCoreMajor is { } major)
            results.Add(new("userspace.rdma-core", CheckStatus.Ok, $"The container's rdma-core {major} is the host's release.", null));
        if (comparison.Hcas.Count == 0)
            results.Add(new("userspace.providers", CheckStatus.Skipped, "The host has no RDMA device, so no provider is needed.", null));
        foreach (var row in comparison.Hcas)
        {
            if (row.Hca.Provider is { } p && !Flagged($"provider {p}"))
                results.Add(new($"userspace.provider {p}", CheckStatus.Ok, $"The container has the {p} provider HCA '{row.Hca.Device}' needs.", null));
        }
        return results;
    }

    private static string Show(int? n) => n?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
}
