using NspawnNative.Interop.Workflows;

namespace NspawnNative.Interop.Tests.Workflows;

/// <summary>
/// rdma enable and disable as plans on a temporary root (no bus: files only): what enable writes, that a second run
/// plans nothing, and that disable gives every file back byte for byte, or removes only enable's entries from a file
/// edited since.
/// </summary>
public sealed class RdmaEnableTests
{
    private const string Machine = "m1";
    private const string Image = "/var/lib/machines/m1";
    private const string Trusted = "/etc/systemd/nspawn/m1.nspawn";
    private const string DropIn = "/etc/systemd/system/systemd-nspawn@m1.service.d/60-nspawn-native.conf";

    private static TempRoot NewMachine()
    {
        var root = new TempRoot();
        root.Write(Image + "/etc/os-release", "ID=debian\n");
        SysfsFixture.WriteRoce(root);
        return root;
    }

    private static Task<Plan> EnableAsync(TempRoot root, RdmaEnableOptions? options = null) =>
        new RdmaEnable(root.Paths, control: null).PlanAsync(Machine, options ?? new RdmaEnableOptions(), CancellationToken.None);

    private static Task<Plan> DisableAsync(TempRoot root) =>
        new RdmaDisable(root.Paths, control: null).PlanAsync(Machine, new RdmaDisableOptions(), CancellationToken.None);

    /// <summary>Every file under the root except the writer's backups, with its content.</summary>
    private static SortedDictionary<string, string> Tree(TempRoot root) =>
        new(Directory.EnumerateFiles(root.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(Interop.Config.AtomicFileWriter.BackupSuffix, StringComparison.Ordinal))
            .ToDictionary(f => f[root.Root.Length..], File.ReadAllText), StringComparer.Ordinal);

    [Fact]
    public async Task EnableWritesTheProfileTheDropInTheContainerFilesAndARecord()
    {
        using var root = NewMachine();
        var plan = await EnableAsync(root);
        Assert.True(plan.HasChanges);
        await plan.ApplyAsync(CancellationToken.None);

        var profile = root.Read(Trusted)!;
        Assert.Contains("Capability=CAP_IPC_LOCK", profile);
        Assert.Contains("LimitMEMLOCK=infinity", profile);
        Assert.Contains("Bind=/dev/infiniband/", profile);
        var dropIn = root.Read(DropIn)!;
        Assert.Contains("LimitMEMLOCK=infinity", dropIn);
        Assert.Contains("DeviceAllow=char-infiniband_verbs rwm", dropIn);
        Assert.Contains("DeviceAllow=/dev/infiniband/rdma_cm", dropIn);
        Assert.DoesNotContain("infiniband_mad", dropIn);
        Assert.Contains("DefaultLimitMEMLOCK=infinity", root.Read(Image + ContainerFiles.ManagerDropIn));
        Assert.Contains("memlock", root.Read(Image + ContainerFiles.LimitsFile));
        Assert.Contains("TERM=" + RdmaEnable.Term, root.Read(Image + ContainerFiles.TermDropIn));

        var record = RdmaEnableRecord.Read(root.Paths, Machine)!.Value.Record;
        Assert.Equal([Trusted, DropIn, Image + ContainerFiles.ManagerDropIn, Image + ContainerFiles.LimitsFile, Image + ContainerFiles.TermDropIn],
            record.Files.Select(f => f.Path).ToArray());
        Assert.All(record.Files, f => Assert.Null(f.Before));
    }

    [Fact]
    public async Task ASecondEnablePlansNothing()
    {
        using var root = NewMachine();
        await (await EnableAsync(root)).ApplyAsync(CancellationToken.None);
        var before = Tree(root);

        var again = await EnableAsync(root);
        Assert.False(again.HasChanges, again.Render());
        Assert.Contains(Plan.NothingToChange, again.Render());
        var result = await again.ApplyAsync(CancellationToken.None);
        Assert.False(result.Changed);
        Assert.Equal(before, Tree(root));
    }

    [Fact]
    public async Task ADryRunShowsEveryFileAsADiffAndWritesNothing()
    {
        using var root = NewMachine();
        var before = Tree(root);
        var text = (await EnableAsync(root)).Render();
        Assert.Contains("+++ b" + Trusted, text);
        Assert.Contains("+++ b" + DropIn, text);
        Assert.Contains("+++ b" + Image + ContainerFiles.TermDropIn, text);
        Assert.Equal(before, Tree(root));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("[Exec]\n# kept as it was\nBoot=yes\nCapability=CAP_NET_ADMIN\nLimitMEMLOCK=64M\n\n[Network]\nVirtualEthernet=no\n")]
    [InlineData("[Exec]\nCapability=CAP_IPC_LOCK\nLimitMEMLOCK=infinity\n\n[Files]\nBind=/dev/infiniband/\n")]
    public async Task DisableGivesEveryFileBackByteForByte(string? profile)
    {
        using var root = NewMachine();
        if (profile is not null)
            root.Write(Trusted, profile);
        root.Write(Image + "/etc/security/limits.d/50-site.conf", "*  soft  nofile  4096\n");
        var before = Tree(root);

        await (await EnableAsync(root)).ApplyAsync(CancellationToken.None);
        Assert.NotEqual(before, Tree(root));
        var disable = await DisableAsync(root);
        Assert.Contains("--- a" + DropIn, disable.Render());
        await disable.ApplyAsync(CancellationToken.None);

        Assert.Equal(before, Tree(root));
        Assert.Null(RdmaEnableRecord.Read(root.Paths, Machine));
    }

    [Fact]
    public async Task DisableTakesOnlyEnablesEntriesOutOfAFileEditedSince()
    {
        using var root = NewMachine();
        root.Write(Trusted, "[Exec]\nBoot=yes\n");
        await (await EnableAsync(root)).ApplyAsync(CancellationToken.None);
        root.Write(Trusted, root.Read(Trusted) + "\n[Files]\nBindReadOnly=/srv/data\n");

        await (await DisableAsync(root)).ApplyAsync(CancellationToken.None);

        var left = root.Read(Trusted)!;
        Assert.Contains("Boot=yes", left);
        Assert.Contains("BindReadOnly=/srv/data", left);
        Assert.DoesNotContain("CAP_IPC_LOCK", left);
        Assert.DoesNotContain("Bind=/dev/infiniband", left);
        Assert.Null(root.Read(DropIn));
    }

    [Fact]
    public async Task DisableWithoutARecordRemovesOnlyOurDropIn()
    {
        using var root = NewMachine();
        await (await EnableAsync(root)).ApplyAsync(CancellationToken.None);
        File.Delete(root.PathOf(RdmaEnableRecord.PathFor(Machine)));

        await (await DisableAsync(root)).ApplyAsync(CancellationToken.None);

        Assert.Null(root.Read(DropIn));
        Assert.NotNull(root.Read(Trusted));
    }

    [Fact]
    public async Task EnableOfARoceDeviceSharesTheHostNetwork()
    {
        using var root = NewMachine();
        await (await EnableAsync(root)).ApplyAsync(CancellationToken.None);
        Assert.Contains("VirtualEthernet=no", root.Read(Trusted));
    }

    [Fact]
    public async Task EnableRefusesAHostWithoutRdmaDevices()
    {
        using var root = new TempRoot();
        root.Write(Image + "/etc/os-release", "ID=debian\n");
        var e = await Assert.ThrowsAsync<WorkflowException>(() => EnableAsync(root));
        Assert.Contains("no RDMA device", e.Message);
    }

    [Fact]
    public async Task EnableRefusesAMachineWithoutAnImage()
    {
        using var root = new TempRoot();
        var e = await Assert.ThrowsAsync<WorkflowException>(() => EnableAsync(root));
        Assert.Contains("'/var/lib/machines/m1'", e.Message);
    }

    [Theory]
    [InlineData(null, "[Exec]\nBoot=yes\n", "Exec Boot yes")]
    [InlineData("[Exec]\nBoot=yes\n", "[Exec]\nBoot=yes\nCapability=CAP_IPC_LOCK\n", "Exec Capability CAP_IPC_LOCK")]
    [InlineData("[Exec]\nLimitMEMLOCK=64M\n", "[Exec]\nLimitMEMLOCK=infinity\n", "Exec LimitMEMLOCK infinity")]
    [InlineData("[Exec]\nBoot=yes\n", "[Exec]\nBoot=yes\n", "")]
    public void AddedEntriesAreTheAssignmentsTheOldTextLacks(string? before, string after, string expected)
    {
        var added = RdmaEnable.AddedEntries(before, after).Select(e => $"{e.Section} {e.Key} {e.Value}");
        Assert.Equal(expected, string.Join(";", added));
    }
}
