using NspawnNative.Interop.Userspace;
using NspawnNative.Interop.Workflows.Doctor;

namespace NspawnNative.Interop.Tests.Userspace;

public class UserspaceComparisonTests
{
    private static readonly HcaDriver Rxe = new("rxe0", "rdma_rxe", DriverSource.NamePrefix, "rxe");
    private static readonly HcaDriver Mlx5 = new("mlx5_0", "mlx5_core", DriverSource.DeviceLink, "mlx5");

    [Fact]
    public void Identical_roots_have_no_mismatch_and_the_doctor_says_ok()
    {
        using var host = CapturedRoot.Debian(44, 34, "mlx5", "rxe");
        using var ctr = CapturedRoot.Debian(44, 34, "mlx5", "rxe");
        var c = UserspaceComparison.Compare(RdmaUserspaceReader.Read(host.Path), RdmaUserspaceReader.Read(ctr.Path), [Rxe, Mlx5]);

        Assert.Empty(c.Mismatches);
        Assert.False(c.HasMismatchThatMatters);
        var results = UserspaceCheck.ToResults(c);
        Assert.All(results, r => Assert.Equal(CheckStatus.Ok, r.Status));
        Assert.Contains(results, r => r.Check == "userspace.provider rxe");
    }

    [Fact]
    public void A_missing_provider_library_matters_and_names_the_provider()
    {
        using var host = CapturedRoot.Debian(44, 34, "rxe");
        using var ctr = CapturedRoot.Debian(44, 34, "rxe");
        ctr.Delete($"{CapturedRoot.Multiarch}/libibverbs/librxe-rdmav34.so");
        var c = UserspaceComparison.Compare(RdmaUserspaceReader.Read(host.Path), RdmaUserspaceReader.Read(ctr.Path), [Rxe]);

        var m = Assert.Single(c.Mismatches);
        Assert.True(m.Matters);
        Assert.Equal("provider rxe", m.Subject);
        Assert.Contains("librxe-rdmav*.so", m.Reason);
        Assert.Contains("'rxe0'", m.Reason);
        Assert.Equal(CheckStatus.Fail, Assert.Single(UserspaceCheck.ToResults(c), r => r.Check == "userspace.provider rxe").Status);
    }

    [Fact]
    public void A_missing_driver_file_matters()
    {
        using var host = CapturedRoot.Debian(44, 34, "rxe");
        using var ctr = CapturedRoot.Debian(44, 34, "rxe");
        ctr.Delete("/etc/libibverbs.d/rxe.driver");
        var c = UserspaceComparison.Compare(RdmaUserspaceReader.Read(host.Path), RdmaUserspaceReader.Read(ctr.Path), [Rxe]);
        Assert.Contains(c.Mismatches, m => m.Matters && m.Reason.Contains("rxe.driver"));
    }

    [Fact]
    public void An_older_container_release_warns_about_skew_and_abi_but_works()
    {
        using var host = CapturedRoot.Debian(50, 34, "rxe");
        using var ctr = CapturedRoot.Debian(33, 25, "rxe");
        var c = UserspaceComparison.Compare(RdmaUserspaceReader.Read(host.Path), RdmaUserspaceReader.Read(ctr.Path), [Rxe]);

        Assert.False(c.HasMismatchThatMatters);
        Assert.Contains(c.Mismatches, m => m.Subject == "rdma-core" && m.Reason.Contains("rdma-core 33") && m.Reason.Contains("rdma-core 50"));
        Assert.Contains(c.Mismatches, m => m.Subject == "libibverbs" && m.Reason.Contains("ABI 25"));
    }

    [Fact]
    public void A_provider_of_another_abi_than_the_containers_libibverbs_matters()
    {
        using var host = CapturedRoot.Debian(44, 34, "rxe");
        using var ctr = CapturedRoot.Debian(44, 34);
        ctr.Write("/etc/libibverbs.d/rxe.driver", "driver rxe\n");
        ctr.Write($"{CapturedRoot.Multiarch}/libibverbs/librxe-rdmav25.so", "");
        var c = UserspaceComparison.Compare(RdmaUserspaceReader.Read(host.Path), RdmaUserspaceReader.Read(ctr.Path), [Rxe]);
        Assert.Contains(c.Mismatches, m => m.Matters && m.Reason.Contains("ABI 25") && m.Reason.Contains("loads ABI 34"));
    }

    [Fact]
    public void A_container_without_libibverbs_matters()
    {
        using var host = CapturedRoot.Debian(44, 34, "rxe");
        using var ctr = new CapturedRoot();
        var c = UserspaceComparison.Compare(RdmaUserspaceReader.Read(host.Path), RdmaUserspaceReader.Read(ctr.Path), [Rxe]);
        Assert.Contains(c.Mismatches, m => m.Matters && m.Subject == "libibverbs");
    }

    [Theory]
    [InlineData("mlx5_core", "mlx5")]
    [InlineData("mlx4_core", "mlx4")]
    [InlineData("rdma_rxe", "rxe")]
    [InlineData("siw", "siw")]
    [InlineData("hfi1", "hfi1verbs")]
    [InlineData("irdma", "irdma")]
    [InlineData("bnxt_en", "bnxt_re")]
    [InlineData("efa", "efa")]
    [InlineData("nvme", null)]
    public void Kernel_drivers_map_to_rdma_core_providers(string driver, string? provider)
    {
        Assert.Equal(provider, ProviderTable.ProviderFor(driver));
    }

    [Fact]
    public void Hca_drivers_come_from_the_device_link_or_the_name()
    {
        using var sys = new CapturedRoot();
        Directory.CreateDirectory(sys.Path + "/bus/pci/drivers/mlx5_core");
        Directory.CreateDirectory(sys.Path + "/devices/pci0000:00/0000:00:03.0");
        sys.Link("/devices/pci0000:00/0000:00:03.0/driver", "../../../bus/pci/drivers/mlx5_core");
        sys.Link("/class/infiniband/mlx5_0/device", "../../../devices/pci0000:00/0000:00:03.0");
        sys.Write("/class/infiniband/rxe0/parent", "eth0\n");
        sys.Write("/class/infiniband/weird0/node_type", "1: CA\n");
        // siw's device link leads to the NIC's PCI device, bound to the NIC's driver.
        Directory.CreateDirectory(sys.Path + "/bus/pci/drivers/ice");
        Directory.CreateDirectory(sys.Path + "/devices/pci0000:00/0000:00:04.0");
        sys.Link("/devices/pci0000:00/0000:00:04.0/driver", "../../../bus/pci/drivers/ice");
        sys.Link("/class/infiniband/iwp0/device", "../../../devices/pci0000:00/0000:00:04.0");
        sys.Write("/class/infiniband/iwp0/node_desc", "Software iWARP stack\n");
        var hcas = HcaDrivers.Read(new HostPaths("/", sys.Path, "/dev"));

        Assert.Equal(
            [new HcaDriver("iwp0", "siw", DriverSource.NodeDescription, "siw"),
             new HcaDriver("mlx5_0", "mlx5_core", DriverSource.DeviceLink, "mlx5"),
             new HcaDriver("rxe0", "rdma_rxe", DriverSource.NamePrefix, "rxe"),
             new HcaDriver("weird0", null, DriverSource.Unknown, null)],
            hcas);
    }
}
