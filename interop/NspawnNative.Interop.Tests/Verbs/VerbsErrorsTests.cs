using NspawnNative.Interop.Posix;
using NspawnNative.Interop.Verbs;

namespace NspawnNative.Interop.Tests.Verbs;

public class VerbsErrorsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    public void A_refused_open_names_the_device_cgroup_and_the_node_permissions(int errno)
    {
        var e = Assert.IsType<VerbsPermissionException>(VerbsErrors.Open("rxe0", errno, new UverbsProbe("/dev/infiniband/uverbs0", true, errno)));
        Assert.Contains("DeviceAllow=char-infiniband_verbs rwm", e.Message);
        Assert.Contains("ls -l /dev/infiniband/uverbs0", e.Message);
        Assert.Equal(errno, e.Errno);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(19)]
    public void Enoent_from_libibverbs_is_a_refusal_when_the_node_is_there_but_cannot_be_opened(int errno)
    {
        // libibverbs searches /dev after a failed open and reports ENOENT/ENODEV; our own open of the node tells.
        var e = Assert.IsType<VerbsPermissionException>(VerbsErrors.Open("rxe0", errno, new UverbsProbe("/dev/infiniband/uverbs0", true, 1)));
        Assert.Contains("DeviceAllow", e.Message);
    }

    [Fact]
    public void Enoent_with_no_node_says_to_bind_dev_infiniband()
    {
        var e = VerbsErrors.Open("rxe0", 2, new UverbsProbe("/dev/infiniband/uverbs0", false, 2));
        Assert.IsNotType<VerbsPermissionException>(e);
        Assert.Contains("'/dev/infiniband/uverbs0' is missing", e.Message);
        Assert.Contains("Bind=", e.Message);
    }

    [Fact]
    public void The_probe_finds_the_node_through_sysfs_under_other_roots()
    {
        var root = Directory.CreateTempSubdirectory("nn-uverbs-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "sys/class/infiniband_verbs/uverbs3"));
            File.WriteAllText(Path.Combine(root.FullName, "sys/class/infiniband_verbs/uverbs3/ibdev"), "mlx5_1\n");
            Directory.CreateDirectory(Path.Combine(root.FullName, "dev/infiniband"));
            var paths = new HostPaths("/", Path.Combine(root.FullName, "sys"), Path.Combine(root.FullName, "dev"));
            Assert.Equal(new UverbsProbe("/dev/infiniband/uverbs3", false, 2), UverbsNode.Probe(paths, "mlx5_1"));
            File.WriteAllText(Path.Combine(root.FullName, "dev/infiniband/uverbs3"), "");
            Assert.Equal(new UverbsProbe("/dev/infiniband/uverbs3", true, 0), UverbsNode.Probe(paths, "mlx5_1"));
            Assert.Equal(new UverbsProbe(null, false, 0), UverbsNode.Probe(paths, "rxe0"));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Enomem_when_pinning_names_the_current_memlock_limit_and_how_to_raise_it()
    {
        var e = Assert.IsType<VerbsMemoryLockException>(VerbsErrors.Pin("ibv_reg_mr", "register 4096 bytes", 12));
        var soft = ResourceLimits.Get(ResourceKind.MemLock).Soft;
        Assert.Contains($"RLIMIT_MEMLOCK is {ResourceLimits.Format(soft, true)}", e.Message);
        Assert.Contains("LimitMEMLOCK=infinity", e.Message);
        Assert.Contains(".nspawn", e.Message);
        Assert.Equal(soft, e.MemlockSoft);
    }

    [Fact]
    public void Other_errors_when_pinning_are_not_blamed_on_memlock()
    {
        Assert.IsNotType<VerbsMemoryLockException>(VerbsErrors.Pin("ibv_reg_mr", "register 4096 bytes", 22));
    }

    [Fact]
    public void No_devices_names_the_provider_and_the_dev_node()
    {
        var e = VerbsErrors.NoDevices(0, null, []);
        Assert.Contains("ibverbs-providers", e.Message);
        Assert.Contains("/dev/infiniband", e.Message);
        Assert.Single(e.Message.Split(". "));
    }

    [Fact]
    public void A_missing_library_is_one_line()
    {
        var e = VerbsErrors.Library(new DllNotFoundException("Unable to load shared library 'libibverbs.so.1' or one of its dependencies.\nIn order to help diagnose..."));
        Assert.DoesNotContain('\n', e.Message);
        Assert.IsType<VerbsLibraryMissingException>(e);
        Assert.Contains("libibverbs1", e.Message);
    }
}
