using NspawnNative.Interop.Userspace;
using NspawnNative.Interop.Workflows.Doctor;

namespace NspawnNative.Interop.Tests.Userspace;

public class HugePagesTests
{
    private const string MountinfoWithHugepages =
        "22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n" +
        "25 28 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=1000k,nr_inodes=250,mode=755\n" +
        "40 25 0:34 / /dev/hugepages rw,relatime shared:16 - hugetlbfs hugetlbfs rw,pagesize=2M\n" +
        "41 28 0:35 / /mnt/with\\040space rw - tmpfs tmpfs rw\n";

    private const string Limits =
        "Limit                     Soft Limit           Hard Limit           Units     \n" +
        "Max open files            1024                 524288               files     \n" +
        "Max locked memory         8388608              8388608              bytes     \n";

    [Fact]
    public void Mountinfo_lines_give_mount_point_type_and_options()
    {
        var mounts = MountInfo.Parse(MountinfoWithHugepages);
        Assert.Equal(new MountEntry("/dev/hugepages", "hugetlbfs", "hugetlbfs", "rw,pagesize=2M"), MountInfo.Visible(mounts, "/dev/hugepages"));
        Assert.Equal("tmpfs", MountInfo.Visible(mounts, "/mnt/with space")?.FileSystemType);
    }

    [Fact]
    public void A_later_mount_on_the_same_point_hides_the_earlier_one()
    {
        var mounts = MountInfo.Parse(MountinfoWithHugepages + "50 40 0:40 / /dev/hugepages rw - tmpfs tmpfs rw\n");
        Assert.Equal("tmpfs", MountInfo.Visible(mounts, "/dev/hugepages")?.FileSystemType);
    }

    [Theory]
    [InlineData(Limits, 8388608L, false)]
    [InlineData("Max locked memory         unlimited            unlimited            bytes\n", null, true)]
    [InlineData("", null, false)]
    public void The_memlock_limit_is_read_from_proc_limits(string text, long? soft, bool unlimited)
    {
        Assert.Equal((soft, unlimited), HugePages.ParseMemlock(text));
    }

    [Fact]
    public void A_captured_host_shows_the_mount_pools_and_whether_memlock_covers_them()
    {
        using var t = CapturedRoot.HugePagesHost(MountinfoWithHugepages, Limits, nr2M: 16, free2M: 10);
        var paths = new HostPaths(t.Path, t.Path + "/sys", "/dev");

        Assert.True(HugePages.IsHugetlbfsMount(paths));
        var state = HugePages.Read(paths);
        Assert.Equal([new HugePagePool(2048, 16, 10, 2, 0), new HugePagePool(1048576, 0, 0, 0, 0)], state.Pools);
        Assert.Equal(16L * 2 * 1024 * 1024, state.TotalBytes);
        Assert.False(state.MemlockCoversPools);
    }

    [Fact]
    public async Task The_doctor_check_reports_pools_memlock_and_what_a_machine_sees()
    {
        using var t = CapturedRoot.HugePagesHost(MountinfoWithHugepages, Limits, nr2M: 2, free2M: 0);
        t.Write("/proc/4242/mountinfo", "1 0 0:1 / / rw - ext4 /dev/sda1 rw\n");
        t.Write("/proc/4242/limits", "Max locked memory         unlimited            unlimited            bytes\n");
        var paths = new HostPaths(t.Path, t.Path + "/sys", "/dev");
        var results = await new HugePagesCheck().RunAsync(DoctorContext.ForMachine(paths, "ctr1", null, 4242), TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Ok, results.Single(r => r.Check == "hugepages.mount").Status);
        Assert.Equal(CheckStatus.Warn, results.Single(r => r.Check == "hugepages.2048kB").Status);
        Assert.Equal(CheckStatus.Ok, results.Single(r => r.Check == "hugepages.memlock").Status);
        var machine = results.Single(r => r.Check == "hugepages.machine");
        Assert.Equal(CheckStatus.Warn, machine.Status);
        Assert.Contains("Bind=/dev/hugepages", machine.Fix);
    }

    [Fact]
    public void A_host_without_the_mount_says_so()
    {
        using var t = CapturedRoot.HugePagesHost("22 28 0:21 / /sys rw - sysfs sysfs rw\n", Limits, 0, 0);
        Assert.False(HugePages.IsHugetlbfsMount(new HostPaths(t.Path, t.Path + "/sys", "/dev")));
    }
}
