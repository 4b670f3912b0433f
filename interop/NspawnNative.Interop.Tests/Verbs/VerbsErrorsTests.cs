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
        var e = Assert.IsType<VerbsPermissionException>(VerbsErrors.Open("rxe0", errno));
        Assert.Contains("DeviceAllow=char-infiniband_verbs rwm", e.Message);
        Assert.Contains("ls -l /dev/infiniband", e.Message);
        Assert.Equal(errno, e.Errno);
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
