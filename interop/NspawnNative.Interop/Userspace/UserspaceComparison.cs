namespace NspawnNative.Interop.Userspace;

/// <summary>A difference between the host's and a container's RDMA userspace.</summary>
/// <param name="Subject">What differs: <c>libibverbs</c>, <c>provider rxe</c>, <c>rdma-core</c>.</param>
/// <param name="Matters">True when verbs in the container fail because of it; false when it is a warning.</param>
/// <param name="Reason">One sentence saying what differs and why it matters.</param>
/// <param name="Fix">One sentence saying what to do.</param>
public sealed record UserspaceMismatch(string Subject, bool Matters, string Reason, string Fix);

/// <summary>One host HCA with the provider it needs on each side.</summary>
/// <param name="Hca">The HCA and its kernel driver.</param>
/// <param name="Host">The host's provider of that name, or null.</param>
/// <param name="Container">The container's provider of that name, or null.</param>
public sealed record HcaProviderRow(HcaDriver Hca, ProviderInfo? Host, ProviderInfo? Container);

/// <summary>The host's and a container's RDMA userspace side by side, with the differences that matter flagged.</summary>
/// <param name="Host">The host's userspace.</param>
/// <param name="Container">The container's userspace.</param>
/// <param name="Hcas">One row per host HCA.</param>
/// <param name="Mismatches">The differences found, those that matter first.</param>
public sealed record UserspaceComparison(
    RdmaUserspace Host, RdmaUserspace Container, IReadOnlyList<HcaProviderRow> Hcas, IReadOnlyList<UserspaceMismatch> Mismatches)
{
    /// <summary>True when at least one mismatch makes verbs fail in the container.</summary>
    public bool HasMismatchThatMatters => Mismatches.Any(m => m.Matters);

    /// <summary>Compares a container's userspace with the host's for the host's HCAs.</summary>
    /// <param name="host">The host's userspace.</param>
    /// <param name="container">The container's userspace.</param>
    /// <param name="hcas">The host's HCAs (see <see cref="HcaDrivers.Read"/>).</param>
    public static UserspaceComparison Compare(RdmaUserspace host, RdmaUserspace container, IReadOnlyList<HcaDriver> hcas)
    {
        var found = new List<UserspaceMismatch>();
        var cv = container.Libibverbs;
        var hv = host.Libibverbs;
        if (cv is null)
        {
            found.Add(new("libibverbs", true,
                $"The container root '{container.Root}' has no libibverbs.so.1, so no verbs program can run there.",
                "Install libibverbs1 (rdma-core) in the container at the host's version."));
        }
        else if (hv?.ProviderAbi is { } ha && cv.ProviderAbi is { } ca && ha != ca)
        {
            found.Add(new("libibverbs", false,
                $"The container's libibverbs loads providers of ABI {ca} and the host's of ABI {ha}, so the two stacks come from different rdma-core releases.",
                "Install the host's rdma-core release in the container so both load the same providers."));
        }

        if (hv?.RdmaCoreMajor is { } hm && cv?.RdmaCoreMajor is { } cm && hm != cm)
        {
            found.Add(new("rdma-core", false,
                $"The container has rdma-core {cm} and the host rdma-core {hm}; a newer userspace may ask the host's kernel for verbs it lacks.",
                $"Install rdma-core {hm} in the container (the host's: {hv.Version})."));
        }

        if (host.Vendor is { } hvend && container.Vendor?.Version != hvend.Version)
        {
            found.Add(new("vendor stack", false,
                $"The host runs {hvend.Name} {hvend.Version} and the container {(container.Vendor is { } c ? $"{c.Name} {c.Version}" : "no vendor stack")}.",
                $"Install {hvend.Name} {hvend.Version}'s userspace in the container."));
        }

        var rows = new List<HcaProviderRow>();
        foreach (var hca in hcas)
        {
            var hostProvider = hca.Provider is null ? null : host.Provider(hca.Provider);
            var ctrProvider = hca.Provider is null ? null : container.Provider(hca.Provider);
            rows.Add(new HcaProviderRow(hca, hostProvider, ctrProvider));
            if (hca.Provider is null)
            {
                found.Add(new($"provider for {hca.Device}", false,
                    $"The provider HCA '{hca.Device}' needs is unknown (kernel driver '{hca.KernelDriver ?? "unknown"}').",
                    "Check with ibv_devinfo inside the container that the device is listed."));
                continue;
            }
            found.AddRange(ProviderMismatches(hca, container, ctrProvider));
        }

        found.Sort((a, b) => b.Matters.CompareTo(a.Matters));
        return new UserspaceComparison(host, container, rows, found);
    }

    private static IEnumerable<UserspaceMismatch> ProviderMismatches(HcaDriver hca, RdmaUserspace container, ProviderInfo? p)
    {
        var subject = $"provider {hca.Provider}";
        var package = container.Databases.Rpm is not null && !container.Databases.Dpkg ? "rdma-core" : "ibverbs-providers";
        if (p?.Library is null)
        {
            yield return new(subject, true,
                $"The container has no {hca.Provider} provider library (lib{hca.Provider}-rdmav*.so), which HCA '{hca.Device}' ({hca.KernelDriver}) needs, so libibverbs there does not list the device.",
                $"Install {package} in the container, or restore lib{hca.Provider}-rdmav*.so under its libibverbs directory.");
            yield break;
        }
        if (p.DriverFile is null)
        {
            yield return new(subject, true,
                $"The container has no /etc/libibverbs.d/{hca.Provider}.driver, so its libibverbs never loads the {hca.Provider} provider HCA '{hca.Device}' needs.",
                $"Reinstall {package} in the container to restore '/etc/libibverbs.d/{hca.Provider}.driver'.");
        }
        if (container.Libibverbs?.ProviderAbi is { } abi && p.Abi is { } pabi && abi != pabi)
        {
            yield return new(subject, true,
                $"The container's {hca.Provider} provider has ABI {pabi} but its libibverbs loads ABI {abi}, so the provider is skipped and HCA '{hca.Device}' is not listed.",
                "Install libibverbs1 and ibverbs-providers of the same rdma-core release in the container.");
        }
    }
}
