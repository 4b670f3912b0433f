using NspawnNative.Interop.Config;
using NspawnNative.Interop.Workflows;

namespace NspawnNative.Interop.Tests.Workflows;

public class ConfigWorkflowTests
{
    private const string Etc = "/etc/systemd/nspawn/m.nspawn";

    [Fact]
    public async Task Rdma_profile_writes_the_settings_and_a_second_run_changes_nothing()
    {
        using var t = new TempRoot();
        MountHugetlbfs(t.PathOf("/proc/self/mountinfo"));
        var options = new RdmaProfileOptions(HostNetwork: true, PrivateUsersOff: true);
        var first = RdmaProfile.Plan(t.Paths, "m", options);
        Assert.True(first.HasChanges);
        await first.ApplyAsync(CancellationToken.None);
        Assert.Equal("[Exec]\nCapability=CAP_IPC_LOCK\nLimitMEMLOCK=infinity\nPrivateUsers=no\n\n[Files]\nBind=/dev/infiniband/\nBind=/dev/hugepages\n\n[Network]\nVirtualEthernet=no\n",
            t.Read(Etc));
        Assert.Contains("LimitMEMLOCK=infinity", t.Read(NspawnNativeDropIn.PathFor("m")));
        var second = RdmaProfile.Plan(t.Paths, "m", options);
        Assert.False(second.HasChanges);
        Assert.Contains("nothing to change", second.Render());
    }

    [Fact]
    public void Rdma_profile_leaves_existing_equivalent_settings_and_other_lines_alone()
    {
        using var t = new TempRoot();
        t.Write(Etc, "# mine\n[Exec]\nCapability=all\nLimitMEMLOCK=infinity\n\n[Files]\nBind=/dev/infiniband\nBind=/srv\n");
        var plan = RdmaProfile.Plan(t.Paths, "m", new RdmaProfileOptions(Hugepages: false));
        Assert.False(plan.Steps[0].HasChanges);
    }

    [Fact]
    public void Hugepages_are_bound_only_when_the_host_has_them_unless_told()
    {
        using var t = new TempRoot();
        Assert.DoesNotContain("/dev/hugepages", ((FileStep)RdmaProfile.Plan(t.Paths, "m", new()).Steps[0]).NewContent);
        Assert.Contains("/dev/hugepages", ((FileStep)RdmaProfile.Plan(t.Paths, "m", new(Hugepages: true)).Steps[0]).NewContent);
        MountHugetlbfs(t.PathOf("/proc/self/mountinfo"));
        Assert.Contains("/dev/hugepages", ((FileStep)RdmaProfile.Plan(t.Paths, "m", new()).Steps[0]).NewContent);
        Assert.DoesNotContain("/dev/hugepages", ((FileStep)RdmaProfile.Plan(t.Paths, "m", new(Hugepages: false)).Steps[0]).NewContent);
    }

    [Fact]
    public void A_new_etc_file_starts_from_the_file_nspawn_reads_now()
    {
        using var t = new TempRoot();
        t.Write("/var/lib/machines/m.nspawn", "[Exec]\nBoot=yes\n");
        var plan = NspawnEditPlanner.Plan(t.Paths, "m", "t", [NspawnEdit.Parse(NspawnEditKind.Set, "Exec.User=u")]);
        var step = (FileStep)plan.Steps.Single();
        Assert.Equal((Etc, (string?)null, "[Exec]\nBoot=yes\nUser=u\n"), (step.Path, step.OldContent, step.NewContent));
    }

    [Fact]
    public void Unset_of_an_absent_key_plans_nothing()
    {
        using var t = new TempRoot();
        Assert.False(NspawnEditPlanner.Plan(t.Paths, "m", "t", [NspawnEdit.Parse(NspawnEditKind.Unset, "Exec.Boot")]).HasChanges);
    }

    [Theory]
    [InlineData(NspawnEditKind.Set, "Exec.boot=yes", "write 'Exec.Boot' instead")]
    [InlineData(NspawnEditKind.Set, "Exec.Boot=maybe", "not a boolean")]
    [InlineData(NspawnEditKind.Add, "Exec.Boot=yes", "use 'nspawn set'")]
    [InlineData(NspawnEditKind.Set, "Boot=yes", "Section.Key=VALUE")]
    [InlineData(NspawnEditKind.Add, "Files.Bind", "has no value")]
    public void Bad_edits_are_refused_with_a_reason(NspawnEditKind kind, string text, string fragment)
    {
        var e = Assert.Throws<InvalidInputException>(() => NspawnEdit.Parse(kind, text));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void A_drop_in_we_did_not_write_is_never_touched()
    {
        using var t = new TempRoot();
        t.Write(NspawnNativeDropIn.PathFor("m"), "[Service]\nLimitMEMLOCK=1M\n");
        var e = Assert.Throws<ConfigFileException>(() => RdmaProfile.Plan(t.Paths, "m", new()));
        Assert.Contains("was not written by nspawn-native", e.Message);
    }

    [Fact]
    public async Task Our_drop_in_is_removed_when_nothing_of_ours_is_left()
    {
        using var t = new TempRoot();
        await new Plan("t", [NspawnNativeDropIn.Load(t.Paths, "m").SetLimitMemlock("infinity")
            .AddDeviceAllow(new DeviceAllowEntry("char-infiniband_verbs", "rw")).ToStep(t.Paths)]).ApplyAsync(CancellationToken.None);
        Assert.Contains("DeviceAllow=char-infiniband_verbs rw", t.Read(NspawnNativeDropIn.PathFor("m")));
        var remove = NspawnNativeDropIn.Load(t.Paths, "m").SetLimitMemlock(null)
            .RemoveDeviceAllow(new DeviceAllowEntry("char-infiniband_verbs", "rw")).ToStep(t.Paths);
        Assert.Null(remove.NewContent);
        await new Plan("t", [remove]).ApplyAsync(CancellationToken.None);
        Assert.Null(t.Read(NspawnNativeDropIn.PathFor("m")));
    }

    [Fact]
    public async Task Container_term_and_memlock_write_inside_the_machine_root()
    {
        using var t = new TempRoot();
        Directory.CreateDirectory(t.PathOf("/var/lib/machines/m"));
        var root = ContainerFiles.MachineRoot(t.Paths, "m");
        await ContainerFiles.PlanTerm(root, "m", "xterm-256color").ApplyAsync(CancellationToken.None);
        await ContainerFiles.PlanMemlock(root, "m", "64M:infinity").ApplyAsync(CancellationToken.None);
        Assert.EndsWith("[Service]\nEnvironment=TERM=xterm-256color\n", t.Read("/var/lib/machines/m" + ContainerFiles.TermDropIn));
        Assert.EndsWith("[Manager]\nDefaultLimitMEMLOCK=64M:infinity\n", t.Read("/var/lib/machines/m" + ContainerFiles.ManagerDropIn));
        Assert.Contains("*    soft    memlock    65536\n*    hard    memlock    unlimited\n", t.Read("/var/lib/machines/m" + ContainerFiles.LimitsFile));
        Assert.False(ContainerFiles.PlanTerm(root, "m", "xterm-256color").HasChanges);
        var change = ContainerFiles.PlanTerm(root, "m", "vt100");
        Assert.Contains("-Environment=TERM=xterm-256color\n+Environment=TERM=vt100", change.Render());
    }

    [Fact]
    public void Container_verbs_need_the_machine_root()
    {
        using var t = new TempRoot();
        var e = Assert.Throws<InvalidInputException>(() => ContainerFiles.PlanTerm(ContainerFiles.MachineRoot(t.Paths, "m"), "m", "xterm"));
        Assert.Contains("has no root directory", e.Message);
    }

    // A hugetlbfs mount at /dev/hugepages as /proc/self/mountinfo shows it (the host has huge pages).
    private static void MountHugetlbfs(string mountinfo)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(mountinfo)!);
        File.WriteAllText(mountinfo, "37 23 0:32 / /dev/hugepages rw,relatime shared:14 - hugetlbfs hugetlbfs rw,pagesize=2M\n");
    }
}
