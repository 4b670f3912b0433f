using static NspawnNative.NativeTests.Workflows.WorkflowOracles;

namespace NspawnNative.NativeTests.Workflows;

/// <summary>
/// One broken setup per failure kind seen in the field, each proved broken by an oracle first (/proc, open(2) and
/// ibv_rc_pingpong through the container's own systemd), then named by <c>doctor --json</c> with the right check
/// failing, the right fix, and the unrelated links not blamed. Host faults that cannot be staged on the live VM
/// without harming it (a missing node, no GID) are staged on copied trees through --dev-root and --sysfs-root.
/// </summary>
public sealed class DoctorTests
{
    // The profile rdma enable writes, trusted when it lies in /etc/systemd/nspawn.
    private const string Profile =
        "[Exec]\nCapability=CAP_IPC_LOCK\nLimitMEMLOCK=infinity\n\n[Files]\nBind=/dev/infiniband\n\n[Network]\nVirtualEthernet=no\n";

    private const string ClassRules = "DeviceAllow=char-infiniband_verbs rwm\nDeviceAllow=/dev/infiniband/rdma_cm rwm\n";

    private const string OpenNode = "exec 3<>/dev/infiniband/{0} && echo OPEN-OK";

    [Fact]
    public async Task MemlockTooLowUnderTheStockUserNamespaceIsNamedAsMemlockAndNothingElse()
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync("wf-memlock", Profile, "[Service]\n" + ClassRules);
        await m.StartAsync();
        Assert.NotEqual("unlimited", await MemlockOfAsync(await LeaderAsync(m.Name)));
        var pin = await m.RunInsideAsync(["ibv_rc_pingpong", "-d", Guest.RdmaDevice, "-s", (9 * 1024 * 1024).ToString()]);
        Assert.True(pin.ExitCode != 0 && (pin.StdErr + pin.StdOut).Contains("Couldn't register MR"),
            $"pinning 9 MiB inside should fail with the stock memlock limit: {pin}");

        var report = await DoctorAsync(m.Name);
        AssertFails(report, "config.unit-memlock", "LimitMEMLOCK=infinity");
        AssertFails(report, "machine.memlock", "LimitMEMLOCK=infinity");
        AssertNotFailing(report, "config.nspawn-file", "config.capability", "config.bind", "config.device-allow",
            "machine.nodes", "machine.capabilities", "host.devices", "host.uverbs-nodes", "host.rdma-cm");
    }

    [Fact]
    public async Task ANodePresentButNotAllowedIsNamedAsTheDeviceRulesAndNotAsMemlock()
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync("wf-noallow", Profile, "[Service]\nLimitMEMLOCK=infinity\n");
        await m.StartAsync();
        var open = await m.ShInsideAsync(string.Format(OpenNode, "uverbs0"));
        Assert.True(open.ExitCode != 0 && open.StdErr.Contains("Operation not permitted"), $"uverbs0 should be denied: {open}");

        var report = await DoctorAsync(m.Name, "--selftest");
        var rules = AssertFails(report, "config.device-allow", "char-infiniband_verbs");
        Assert.Contains("uverbs0", rules.Reason);
        AssertNotFailing(report, "config.unit-memlock", "machine.memlock", "machine.nodes", "config.nspawn-file");
        var selftest = AssertFails(report, "machine.selftest");
        Assert.DoesNotContain("memlock", selftest.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task APathRuleForANodeCreatedAfterTheStartIsNamedAsSuch()
    {
        Guest.Require();
        const string Dummy = "wfdummy0";
        const string Late = "rxe1";
        Assert.False(File.Exists("/dev/infiniband/uverbs1"), "uverbs1 exists already; this test needs it to appear later");
        var dropIn = "[Service]\nLimitMEMLOCK=infinity\nDeviceAllow=/dev/infiniband/uverbs0 rwm\n" +
                     "DeviceAllow=/dev/infiniband/uverbs1 rwm\nDeviceAllow=/dev/infiniband/rdma_cm rwm\n";
        await using var m = await TestMachine.CreateAsync("wf-late", Profile, dropIn);
        try
        {
            await m.StartAsync();
            Ok(await Guest.ShAsync($"ip link add {Dummy} type dummy && ip link set {Dummy} up && " +
                                   $"rdma link add {Late} type rxe netdev {Dummy} && udevadm settle"), "creating a second rxe device");
            var ibdev = await Guest.ShAsync("cat /sys/class/infiniband_verbs/uverbs1/ibdev");
            Assert.True(ibdev.StdOut.Trim() == Late && File.Exists("/dev/infiniband/uverbs1"),
                $"the new device did not get uverbs1: {ibdev}");
            var late = await m.ShInsideAsync(string.Format(OpenNode, "uverbs1"));
            Assert.True(late.ExitCode != 0 && late.StdErr.Contains("Operation not permitted"), $"uverbs1 should be denied: {late}");
            Ok(await m.ShInsideAsync(string.Format(OpenNode, "uverbs0")), "opening uverbs0 inside");

            var report = await DoctorAsync(m.Name);
            var stale = AssertFails(report, "machine.path-rules", "char-infiniband_verbs");
            Assert.Contains("uverbs1", stale.Reason);
            AssertNotFailing(report, "config.device-allow", "machine.memlock", "config.unit-memlock");
        }
        finally
        {
            await Guest.ShAsync($"rdma link delete {Late}; ip link delete {Dummy}");
        }
    }

    [Fact]
    public async Task AnUntrustedNspawnFileNextToTheImageIsNamedWithWhereToMoveIt()
    {
        Guest.Require();
        var untrusted = "/var/lib/machines/wf-untrusted.nspawn";
        await using var m = await TestMachine.CreateAsync("wf-untrusted", nspawnFile: null,
            "[Service]\nLimitMEMLOCK=infinity\n" + ClassRules);
        try
        {
            await File.WriteAllTextAsync(untrusted, Profile);
            await m.StartAsync();
            var seen = await m.ShInsideAsync("test -e /dev/infiniband/uverbs0");
            Assert.True(seen.ExitCode != 0, "the untrusted file's Bind= should have been ignored by nspawn");

            var report = await DoctorAsync(m.Name);
            var file = AssertFails(report, "config.nspawn-file", $"/etc/systemd/nspawn/{m.Name}.nspawn");
            Assert.Contains("untrusted", file.Reason, StringComparison.OrdinalIgnoreCase);
            AssertFails(report, "machine.nodes");
            AssertNotFailing(report, "config.device-allow", "config.unit-memlock");
        }
        finally
        {
            File.Delete(untrusted);
        }
    }

    [Theory]
    [InlineData("rm D/infiniband/uverbs0", "host.uverbs-nodes", "uverbs0", "host.rdma-cm")]
    [InlineData("rm D/infiniband/uverbs0 && mknod -m 666 D/infiniband/uverbs0 c 231 200", "host.uverbs-nodes", "231:192", "host.rdma-cm")]
    [InlineData("rm D/infiniband/rdma_cm", "host.rdma-cm", "rdma_ucm", "host.uverbs-nodes")]
    public async Task AHostNodeMissingOrWrongIsNamedOnACopiedDevTree(string damage, string check, string fixWord, string unrelated)
    {
        Guest.Require();
        const string Root = "/tmp/wf-devroot";
        Ok(await Guest.ShAsync($"rm -rf {Root} && mkdir -p {Root} && cp -a /dev/infiniband {Root}/ && " +
                               damage.Replace("D/", Root + "/")), "staging the /dev copy");
        try
        {
            var report = await DoctorAsync(null, "--dev-root", Root);
            AssertFails(report, check, fixWord);
            AssertNotFailing(report, unrelated, "host.devices");
        }
        finally
        {
            await Guest.ShAsync($"rm -rf {Root}");
        }
    }

    [Fact]
    public async Task ARocePortWithoutAUsableGidIsNamedOnACapturedSysfsTree()
    {
        Guest.Require();
        const string Root = "/tmp/wf-sysroot";
        var dev = Guest.RdmaDevice;
        // A capture of rxe0 and its verbs node, with every GID slot emptied as when the netdev has no address.
        var capture =
            $"set -e; rm -rf {Root}; s=/sys/class/infiniband/{dev}; t={Root}/class/infiniband/{dev}; mkdir -p $t/ports/1/gids; " +
            "for f in node_type node_guid sys_image_guid fw_ver node_desc; do cat $s/$f > $t/$f 2>/dev/null || rm -f $t/$f; done; " +
            "for f in state link_layer; do cat $s/ports/1/$f > $t/ports/1/$f; done; " +
            "for f in phys_state rate lid sm_lid lid_mask_count cap_mask; do cat $s/ports/1/$f > $t/ports/1/$f 2>/dev/null || rm -f $t/ports/1/$f; done; " +
            "for g in $s/ports/1/gids/*; do echo 0000:0000:0000:0000:0000:0000:0000:0000 > $t/ports/1/gids/$(basename $g); done; " +
            $"for u in /sys/class/infiniband_verbs/uverbs*; do if [ \"$(cat $u/ibdev)\" = {dev} ]; then " +
            $"v={Root}/class/infiniband_verbs/$(basename $u); mkdir -p $v; for f in ibdev dev abi_version; do cat $u/$f > $v/$f; done; fi; done";
        Ok(await Guest.ShAsync(capture), "capturing rxe0's sysfs");
        try
        {
            var report = await DoctorAsync(null, "--sysfs-root", Root);
            var gid = AssertFails(report, "host.roce-gid");
            Assert.Contains(dev, gid.Reason);
            AssertNotFailing(report, "host.devices", "host.uverbs-nodes", "host.rdma-cm");
        }
        finally
        {
            await Guest.ShAsync($"rm -rf {Root}");
        }
    }

    [Fact]
    public async Task AMissingProviderInTheContainerRootIsNamedAsTheProvider()
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync("wf-noprov", Profile, "[Service]\nLimitMEMLOCK=infinity\n" + ClassRules);
        var root = $"/var/lib/machines/{m.Name}";
        var removed = await Guest.ShAsync($"ls {root}/usr/lib/*/libibverbs/librxe-rdmav*.so && " +
                                          $"rm -f {root}/usr/lib/*/libibverbs/librxe-rdmav*.so {root}/etc/libibverbs.d/rxe.driver");
        Ok(removed, "removing the rxe provider from the container root");

        var report = await DoctorAsync(m.Name);
        var failing = report.Where(l => l.Status == "fail" && l.Check.Contains("provider", StringComparison.Ordinal)).ToList();
        Assert.True(failing.Count > 0, $"no provider check failed:\n{Render(report)}");
        Assert.Contains(failing, l => l.Reason.Contains("rxe", StringComparison.Ordinal) && !string.IsNullOrEmpty(l.Fix));
        AssertNotFailing(report, "host.provider", "config.device-allow", "config.unit-memlock", "config.nspawn-file");
    }
}
