using NspawnNative.Interop.Systemd;
using NspawnNative.Interop.Workflows.Doctor;
using static NspawnNative.Interop.Tests.Workflows.DoctorFixture;

namespace NspawnNative.Interop.Tests.Workflows;

/// <summary>
/// doctor's host and device checks on a temporary root with a sysfs tree (<see cref="SysfsFixture"/>) and a
/// /dev/infiniband whose nodes are symlinks to /dev/null (statx follows them: a real character device, numbers 1:3,
/// which the tree's sysfs then announces), regular files (a node of the wrong kind) or nothing (a missing node).
/// </summary>
public sealed class DoctorDeviceChecksTests
{
    private const string DropIn = "/etc/systemd/system/systemd-nspawn@m1.service.d/60-nspawn-native.conf";

    /// <summary>rxe0 with uverbs0 and rdma_cm both announced as 1:3 and present as links to /dev/null.</summary>
    private static TempRoot NewHost(bool withGid = true)
    {
        var root = NewRoot();
        SysfsFixture.WriteRoce(root, withGid: withGid);
        root.Write("/sys/class/infiniband_verbs/uverbs0/dev", "1:3\n");
        root.Write("/sys/class/misc/rdma_cm/dev", "1:3\n");
        Node(root, "uverbs0");
        Node(root, "rdma_cm");
        return root;
    }

    private static void Node(TempRoot root, string name)
    {
        Directory.CreateDirectory(root.PathOf("/dev/infiniband"));
        File.CreateSymbolicLink(root.PathOf("/dev/infiniband/" + name), "/dev/null");
    }

    [Fact]
    public async Task AHostWithoutDevicesFailsHostDevices()
    {
        using var root = new TempRoot();
        var r = await RunAsync(root, f => new HostDevicesCheck(f), machine: null);
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.Contains("no RDMA device", r.Reason);
    }

    [Fact]
    public async Task PresentNodesWithTheirSysfsNumbersPass()
    {
        using var root = NewHost();
        Assert.Equal(CheckStatus.Ok, (await RunAsync(root, f => new HostUverbsNodesCheck(f), machine: null)).Status);
        Assert.Equal(CheckStatus.Ok, (await RunAsync(root, f => new HostRdmaCmCheck(f), machine: null)).Status);
        Assert.Equal(CheckStatus.Ok, (await RunAsync(root, f => new HostDevicesCheck(f), machine: null)).Status);
        Assert.Equal(CheckStatus.Ok, (await RunAsync(root, f => new HostPortsCheck(f), machine: null)).Status);
        Assert.Equal(CheckStatus.Ok, (await RunAsync(root, f => new HostRoceGidCheck(f), machine: null)).Status);
    }

    [Fact]
    public async Task AUverbsNodeMissingFromDevWhileSysfsHasTheDeviceIsNamed()
    {
        using var root = NewHost();
        File.Delete(root.PathOf("/dev/infiniband/uverbs0"));
        var r = await RunAsync(root, f => new HostUverbsNodesCheck(f), machine: null);
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.Contains("'/dev/infiniband/uverbs0' is missing while sysfs has 'rxe0'", r.Reason);
        Assert.Contains("mknod -m 0666 /dev/infiniband/uverbs0 c 1 3", r.Fix);
        Assert.Equal(CheckStatus.Ok, (await RunAsync(root, f => new HostRdmaCmCheck(f), machine: null)).Status);
    }

    [Fact]
    public async Task AUverbsNodeOfTheWrongKindIsNamedWithTheRightNumbers()
    {
        using var root = NewHost();
        File.Delete(root.PathOf("/dev/infiniband/uverbs0"));
        root.Write("/dev/infiniband/uverbs0", "");
        var r = await RunAsync(root, f => new HostUverbsNodesCheck(f), machine: null);
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.Contains("not a character device", r.Reason);
        Assert.Contains("1:3", r.Fix);
    }

    [Fact]
    public async Task ADeviceWithoutAUverbsClassDeviceAsksForIbUverbs()
    {
        using var root = NewHost();
        Directory.Delete(root.PathOf("/sys/class/infiniband_verbs"), recursive: true);
        var r = await RunAsync(root, f => new HostUverbsNodesCheck(f), machine: null);
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.Equal("modprobe ib_uverbs", r.Fix);
    }

    [Theory]
    [InlineData(true, "udevadm trigger")]
    [InlineData(false, "modprobe rdma_ucm")]
    public async Task AMissingRdmaCmIsNamed(bool announced, string fix)
    {
        using var root = NewHost();
        File.Delete(root.PathOf("/dev/infiniband/rdma_cm"));
        if (!announced)
            Directory.Delete(root.PathOf("/sys/class/misc/rdma_cm"), recursive: true);
        var r = await RunAsync(root, f => new HostRdmaCmCheck(f), machine: null);
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.Contains(fix, r.Fix);
        Assert.Contains("rdma_ucm", r.Fix);
    }

    [Fact]
    public async Task ARocePortWithoutAUsableGidIsNamed()
    {
        using var root = NewHost(withGid: false);
        var r = await RunAsync(root, f => new HostRoceGidCheck(f), machine: null);
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.Contains("rxe0/1", r.Reason);
        Assert.Contains("IP address", r.Fix);
    }

    [Fact]
    public async Task ADeviceWithoutAnActivePortFailsHostPorts()
    {
        using var root = NewHost();
        root.Write("/sys/class/infiniband/rxe0/ports/1/state", "1: DOWN\n");
        var r = await RunAsync(root, f => new HostPortsCheck(f), machine: null);
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.Contains("rxe0/1 (DOWN)", r.Reason);
    }

    [Fact]
    public async Task TheProviderCheckIsSkippedOnACapturedTree()
    {
        using var root = NewHost();
        Assert.Equal(CheckStatus.Skipped, (await RunAsync(root, f => new HostProviderCheck(f), machine: null)).Status);
    }

    [Theory]
    [InlineData(null, CheckStatus.Fail, "/dev/infiniband/rdma_cm, /dev/infiniband/uverbs0")]
    [InlineData("[Service]\nDeviceAllow=char-infiniband_verbs rwm\nDeviceAllow=/dev/infiniband/rdma_cm rw\n", CheckStatus.Ok, "uverbs0")]
    [InlineData("[Service]\nDeviceAllow=char-infiniband_* rw\nDeviceAllow=/dev/infiniband/rdma_cm rw\n", CheckStatus.Ok, "uverbs0")]
    [InlineData("[Service]\nDeviceAllow=/dev/infiniband/uverbs0 rwm\n", CheckStatus.Fail, "/dev/infiniband/rdma_cm:")]
    [InlineData("[Service]\nDeviceAllow=/dev/infiniband/uverbs0 r\nDeviceAllow=/dev/infiniband/rdma_cm rw\n", CheckStatus.Fail, "/dev/infiniband/uverbs0:")]
    [InlineData("[Service]\nDeviceAllow=\nDevicePolicy=auto\n", CheckStatus.Ok, "every device")]
    public async Task TheDeviceAllowCheckWantsEveryNodeCoveredForReadAndWrite(string? dropIn, CheckStatus expected, string named)
    {
        using var root = NewHost();
        if (dropIn is not null)
            root.Write(DropIn, dropIn);
        var r = await RunAsync(root, f => new DeviceAllowCheck(f));
        Assert.Equal(expected, r.Status);
        Assert.Contains(named, r.Reason);
        if (expected == CheckStatus.Fail)
            Assert.Contains("DeviceAllow=char-infiniband_verbs rwm", r.Fix);
    }

    private static Action<DoctorFacts> Running(DateTimeOffset started, params (string Device, string Access)[] rules) => f =>
    {
        f.Running = DoctorFixture.Running(started);
        f.ServiceLive = new ServiceProperties(4242, new Interop.Posix.ResourceLimit(ulong.MaxValue, ulong.MaxValue),
            rules.Select(r => new Systemd.DeviceAllowEntry(r.Device, r.Access)).ToList(), "closed");
    };

    /// <summary>A probe that says a path opened inside unless it is in <paramref name="refused"/>.</summary>
    private static PathRulesCheck.Probe Inside(params string[] refused) => (paths, _) =>
        Task.FromResult<IReadOnlyDictionary<string, bool>>(paths.ToDictionary(p => p, p => !refused.Contains(p)));

    [Fact]
    public async Task APathRuleWhoseNodeIsRefusedInsideIsNamedAsStale()
    {
        using var root = NewHost();
        var r = await RunAsync(root, f => new PathRulesCheck(f, Inside("/dev/infiniband/uverbs0")),
            Running(DateTimeOffset.UtcNow, ("/dev/infiniband/uverbs0", "rwm"), ("/dev/infiniband/rdma_cm", "rw")));
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.Contains("'/dev/infiniband/uverbs0'", r.Reason);
        Assert.DoesNotContain("rdma_cm", r.Reason);
        Assert.Contains("char-infiniband_verbs", r.Fix);
    }

    [Fact]
    public async Task APathRuleIsFineWhenItsNodeOpensInsideOrAClassRuleCoversIt()
    {
        using var root = NewHost();
        Assert.Equal(CheckStatus.Ok, (await RunAsync(root, f => new PathRulesCheck(f, Inside()),
            Running(DateTimeOffset.UtcNow, ("/dev/infiniband/uverbs0", "rwm")))).Status);
        // Covered by the class rule: nothing to probe, so a probe that refuses everything is never asked.
        Assert.Equal(CheckStatus.Ok, (await RunAsync(root, f => new PathRulesCheck(f, Inside("/dev/infiniband/uverbs0")),
            Running(DateTimeOffset.UtcNow, ("/dev/infiniband/uverbs0", "rwm"), ("char-infiniband_verbs", "rwm")))).Status);
    }

    [Fact]
    public async Task APathRuleThatCannotBeProbedIsNotBlamed()
    {
        using var root = NewHost();
        PathRulesCheck.Probe silent = (_, _) => Task.FromResult<IReadOnlyDictionary<string, bool>>(new Dictionary<string, bool>());
        var r = await RunAsync(root, f => new PathRulesCheck(f, silent), Running(DateTimeOffset.UtcNow, ("/dev/infiniband/uverbs0", "rwm")));
        Assert.Equal(CheckStatus.Warn, r.Status);
        Assert.StartsWith("not verified", r.Reason);
    }

    [Fact]
    public async Task APathRuleForANodeThatDoesNotExistIsAWarning()
    {
        using var root = NewHost();
        var r = await RunAsync(root, f => new PathRulesCheck(f, Inside()), Running(DateTimeOffset.UtcNow, ("/dev/infiniband/uverbs7", "rwm")));
        Assert.Equal(CheckStatus.Warn, r.Status);
        Assert.Contains("uverbs7", r.Reason);
    }

    [Theory]
    [InlineData(true, CheckStatus.Ok)]
    [InlineData(false, CheckStatus.Fail)]
    public async Task TheMachineMustSeeTheHostsNodesInItsRoot(bool bound, CheckStatus expected)
    {
        using var root = NewHost();
        Directory.CreateDirectory(root.PathOf("/proc/4242/root/dev/infiniband"));
        if (bound)
        {
            File.CreateSymbolicLink(root.PathOf("/proc/4242/root/dev/infiniband/uverbs0"), "/dev/null");
            File.CreateSymbolicLink(root.PathOf("/proc/4242/root/dev/infiniband/rdma_cm"), "/dev/null");
        }
        var r = await RunAsync(root, f => new MachineNodesCheck(f), Running(DateTimeOffset.UtcNow));
        Assert.Equal(expected, r.Status);
        if (expected == CheckStatus.Fail)
            Assert.Contains("Bind=/dev/infiniband/", r.Fix);
    }

    [Theory]
    [InlineData("eth0", CheckStatus.Ok)]
    [InlineData("host0", CheckStatus.Fail)]
    public async Task TheRoceNetdevMustBeInTheMachinesNetworkNamespace(string netdev, CheckStatus expected)
    {
        using var root = NewHost();
        root.Write("/proc/4242/net/dev",
            "Inter-|   Receive                            |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes\n" +
            $"    lo:       0       0    0    0    0     0          0         0        0\n  {netdev}:    1000      10    0    0    0     0          0         0     1000\n");
        var r = await RunAsync(root, f => new RoceNetdevCheck(f), Running(DateTimeOffset.UtcNow));
        Assert.Equal(expected, r.Status);
        if (expected == CheckStatus.Fail)
            Assert.Contains("VirtualEthernet=no", r.Fix);
    }
}
