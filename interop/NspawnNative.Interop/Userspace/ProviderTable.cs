namespace NspawnNative.Interop.Userspace;

/// <summary>
/// Which libibverbs provider a kernel RDMA driver needs. The names are rdma-core's providers (the
/// <c>/etc/libibverbs.d/*.driver</c> files it ships); the keys are the kernel driver an HCA's sysfs
/// <c>device/driver</c> link names, which for some HCAs is the PCI or auxiliary driver below the RDMA one.
/// </summary>
public static class ProviderTable
{
    private static readonly Dictionary<string, string> ByKernelDriver = new(StringComparer.Ordinal)
    {
        ["mlx5_core"] = "mlx5", ["mlx5_ib"] = "mlx5",
        ["mlx4_core"] = "mlx4", ["mlx4_ib"] = "mlx4",
        ["ib_mthca"] = "mthca",
        ["hfi1"] = "hfi1verbs",
        ["ib_qib"] = "ipathverbs",
        ["rdma_rxe"] = "rxe",
        ["siw"] = "siw",
        ["irdma"] = "irdma", ["ice"] = "irdma", ["i40e"] = "irdma",
        ["bnxt_re"] = "bnxt_re", ["bnxt_en"] = "bnxt_re",
        ["efa"] = "efa",
        ["cxgb4"] = "cxgb4", ["iw_cxgb4"] = "cxgb4",
        ["qedr"] = "qedr", ["qede"] = "qedr", ["qed"] = "qedr",
        ["hns3"] = "hns", ["hns_roce_hw_v2"] = "hns", ["hns_roce"] = "hns",
        ["vmw_pvrdma"] = "vmw_pvrdma",
        ["ocrdma"] = "ocrdma", ["be2net"] = "ocrdma",
        ["mana"] = "mana", ["mana_ib"] = "mana",
        ["erdma"] = "erdma",
    };

    // Device names the kernel gives when sysfs has no device link (software devices) or no driver is bound.
    private static readonly (string Prefix, string Driver)[] ByNamePrefix =
    [
        ("mlx5_", "mlx5_core"), ("mlx4_", "mlx4_core"), ("mthca", "ib_mthca"), ("hfi1_", "hfi1"), ("qib", "ib_qib"),
        ("rxe", "rdma_rxe"), ("siw", "siw"), ("irdma", "irdma"), ("bnxt_re", "bnxt_re"), ("efa_", "efa"),
        ("cxgb4_", "cxgb4"), ("qedr", "qedr"), ("hns_", "hns_roce_hw_v2"), ("vmw_pvrdma", "vmw_pvrdma"),
        ("ocrdma", "ocrdma"), ("mana_", "mana_ib"), ("erdma_", "erdma"),
    ];

    /// <summary>The provider a kernel driver needs, or null when the table does not know the driver.</summary>
    /// <param name="kernelDriver">A kernel driver name such as <c>mlx5_core</c> or <c>rdma_rxe</c>.</param>
    public static string? ProviderFor(string kernelDriver) => ByKernelDriver.GetValueOrDefault(kernelDriver);

    /// <summary>The software driver whose fixed node description (sysfs <c>node_desc</c>) this is, or null:
    /// rdma_rxe writes <c>rxe</c>, siw <c>Software iWARP stack</c>.</summary>
    /// <param name="nodeDescription">The trimmed <c>node_desc</c> text, or null.</param>
    public static string? DriverFromNodeDescription(string? nodeDescription) => nodeDescription switch
    {
        "rxe" => "rdma_rxe",
        "Software iWARP stack" => "siw",
        _ => null,
    };

    /// <summary>Guesses the kernel driver from a device name (<c>rxe0</c> gives <c>rdma_rxe</c>), or null.</summary>
    /// <param name="deviceName">An RDMA device name.</param>
    public static string? DriverFromName(string deviceName) =>
        ByNamePrefix.Where(p => deviceName.StartsWith(p.Prefix, StringComparison.Ordinal)).Select(p => p.Driver).FirstOrDefault();
}
