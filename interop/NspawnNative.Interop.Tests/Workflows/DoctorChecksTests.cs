using NspawnNative.Interop.Workflows.Doctor;
using static NspawnNative.Interop.Tests.Workflows.DoctorFixture;

namespace NspawnNative.Interop.Tests.Workflows;

/// <summary>
/// Each configuration and running-machine check of doctor on a temporary root holding systemd's real template unit
/// (with its -U) and the files a test writes; running-machine facts are given as /proc text.
/// </summary>
public sealed class DoctorChecksTests
{
    private const string Trusted = "/etc/systemd/nspawn/m1.nspawn";
    private const string Untrusted = "/var/lib/machines/m1.nspawn";
    private const string DropIn = "/etc/systemd/system/systemd-nspawn@m1.service.d/60-nspawn-native.conf";
    private const string Profile = "[Exec]\nCapability=CAP_IPC_LOCK\nLimitMEMLOCK=infinity\n\n[Files]\nBind=/dev/infiniband/\n";

    [Fact]
    public async Task TheNspawnFileCheckFailsForAnUntrustedFileAndSaysWhereToMoveIt()
    {
        using var root = NewRoot();
        root.Write(Untrusted, Profile);
        var r = await RunAsync(root, f => new NspawnFileCheck(f));
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.Contains("untrusted", r.Reason);
        Assert.Contains("Capability", r.Reason);
        Assert.Contains($"'{Trusted}'", r.Fix);
    }

    [Theory]
    [InlineData(Trusted, CheckStatus.Ok)]
    [InlineData(null, CheckStatus.Warn)]
    public async Task TheNspawnFileCheckAcceptsATrustedFileAndWarnsWithoutOne(string? path, CheckStatus expected)
    {
        using var root = NewRoot();
        if (path is not null)
            root.Write(path, Profile);
        Assert.Equal(expected, (await RunAsync(root, f => new NspawnFileCheck(f))).Status);
    }

    [Theory]
    [InlineData(Trusted, "[Exec]\nCapability=CAP_IPC_LOCK\n", CheckStatus.Ok)]
    [InlineData(Trusted, "[Exec]\nCapability=CAP_NET_ADMIN all\n", CheckStatus.Ok)]
    [InlineData(Trusted, "[Exec]\nCapability=CAP_NET_ADMIN\n", CheckStatus.Fail)]
    [InlineData(Untrusted, "[Exec]\nCapability=CAP_IPC_LOCK\n", CheckStatus.Fail)]
    public async Task TheCapabilityCheckCountsOnlyAHonouredCapIpcLock(string path, string text, CheckStatus expected)
    {
        using var root = NewRoot();
        root.Write(path, text);
        var r = await RunAsync(root, f => new CapabilityCheck(f));
        Assert.Equal(expected, r.Status);
        if (expected == CheckStatus.Fail)
            Assert.Contains("Capability=CAP_IPC_LOCK", r.Fix);
    }

    [Theory]
    [InlineData(Trusted, "[Files]\nBind=/dev/infiniband/\n", CheckStatus.Ok)]
    [InlineData(Trusted, "[Files]\nBind=/dev/infiniband\n", CheckStatus.Ok)]
    [InlineData(Trusted, "[Files]\nBind=/dev/infiniband/uverbs0\n", CheckStatus.Ok)]
    [InlineData(Trusted, "[Files]\nBind=/srv\n", CheckStatus.Fail)]
    [InlineData(Untrusted, "[Files]\nBind=/dev/infiniband/\n", CheckStatus.Fail)]
    public async Task TheBindCheckWantsDevInfinibandBoundByAHonouredSetting(string path, string text, CheckStatus expected)
    {
        using var root = NewRoot();
        root.Write(path, text);
        var r = await RunAsync(root, f => new BindCheck(f));
        Assert.Equal(expected, r.Status);
        if (expected == CheckStatus.Fail)
            Assert.Contains("Bind=/dev/infiniband/", r.Fix);
    }

    [Theory]
    [InlineData("[Service]\nLimitMEMLOCK=infinity\n", Profile, CheckStatus.Ok)]
    [InlineData("[Service]\nLimitMEMLOCK=8M\n", Profile, CheckStatus.Fail)]
    [InlineData(null, Profile, CheckStatus.Warn)]
    [InlineData("[Service]\nLimitMEMLOCK=8M\n", "[Exec]\nPrivateUsers=no\nLimitMEMLOCK=infinity\n", CheckStatus.Ok)]
    [InlineData("[Service]\nLimitMEMLOCK=8M\n", "[Exec]\nPrivateUsers=no\n", CheckStatus.Warn)]
    public async Task TheUnitMemlockCheckFailsForAFiniteLimitUnderTheStockUserNamespace(string? dropIn, string profile, CheckStatus expected)
    {
        using var root = NewRoot();
        root.Write(Trusted, profile);
        if (dropIn is not null)
            root.Write(DropIn, dropIn);
        var r = await RunAsync(root, f => new UnitMemlockCheck(f));
        Assert.Equal(expected, r.Status);
        if (expected == CheckStatus.Fail)
        {
            Assert.Contains("8 MiB", r.Reason);
            Assert.Contains("user namespace", r.Reason);
            Assert.Contains("LimitMEMLOCK=infinity", r.Fix);
            Assert.Contains(DropIn, r.Fix);
        }
    }

    [Theory]
    [InlineData("[Exec]\nPrivateUsers=no\n", null, CheckStatus.Ok)]
    [InlineData("[Exec]\nBoot=yes\n", null, CheckStatus.Warn)]
    [InlineData("[Exec]\nBoot=yes\n", "[Service]\nLimitMEMLOCK=infinity\n", CheckStatus.Ok)]
    public async Task ThePrivateUsersCheckWarnsOnlyWhenTheUnitLimitDoesNotMakeUpForIt(string profile, string? dropIn, CheckStatus expected)
    {
        using var root = NewRoot();
        root.Write(Trusted, profile);
        if (dropIn is not null)
            root.Write(DropIn, dropIn);
        Assert.Equal(expected, (await RunAsync(root, f => new PrivateUsersCheck(f))).Status);
    }

    private static Action<DoctorFacts> Running(string? limits = null, string? status = null, string uidMap = "         0     589824      65536\n") => f =>
    {
        f.Running = DoctorFixture.Running();
        f.LeaderLimits = limits;
        f.LeaderStatus = status;
        f.LeaderUidMap = uidMap;
    };

    private const string Limits =
        "Limit                     Soft Limit           Hard Limit           Units     \n" +
        "Max open files            524288               524288               files     \n" +
        "Max locked memory         {0}              {1}              bytes     \n";

    [Theory]
    [InlineData("8388608", "8388608", CheckStatus.Fail)]
    [InlineData("unlimited", "unlimited", CheckStatus.Ok)]
    [InlineData("1073741824", "1073741824", CheckStatus.Warn)]
    public async Task TheLeaderMemlockCheckJudgesTheLimitInProc(string soft, string hard, CheckStatus expected)
    {
        using var root = NewRoot();
        var r = await RunAsync(root, f => new LeaderMemlockCheck(f), Running(string.Format(Limits, soft, hard)));
        Assert.Equal(expected, r.Status);
        Assert.Contains("/proc/4242/limits", r.Reason);
        if (expected == CheckStatus.Fail)
        {
            Assert.Contains("8 MiB", r.Reason);
            Assert.Contains("ENOMEM", r.Reason);
            Assert.Contains("LimitMEMLOCK=infinity", r.Fix);
        }
    }

    [Fact]
    public async Task TheRunningChecksAreSkippedWhenTheMachineDoesNotRun()
    {
        using var root = NewRoot();
        var memlock = await RunAsync(root, f => new LeaderMemlockCheck(f));
        var caps = await RunAsync(root, f => new LeaderCapabilitiesCheck(f));
        Assert.Equal(CheckStatus.Skipped, memlock.Status);
        Assert.Equal(CheckStatus.Skipped, caps.Status);
    }

    [Theory]
    [InlineData("000001ffffffffff", CheckStatus.Ok)]
    [InlineData("00000000a80425fb", CheckStatus.Fail)]
    public async Task TheLeaderCapabilitiesCheckLooksForCapIpcLockInCapEff(string capEff, CheckStatus expected)
    {
        using var root = NewRoot();
        var status = $"Name:\tsystemd\nCapInh:\t0000000000000000\nCapPrm:\t{capEff}\nCapEff:\t{capEff}\n";
        var r = await RunAsync(root, f => new LeaderCapabilitiesCheck(f), Running(status: status));
        Assert.Equal(expected, r.Status);
        Assert.Contains("/proc/4242/status", r.Reason);
    }

    [Theory]
    [InlineData("0 0 4294967295\n", false)]
    [InlineData("         0     589824      65536\n", true)]
    public async Task TheLeadersUidMapDecidesTheUserNamespace(string uidMap, bool expected)
    {
        using var root = NewRoot();
        var facts = await DoctorFacts.GatherAsync(root.Paths, Machine, bus: null, CancellationToken.None);
        Running(uidMap: uidMap)(facts);
        Assert.Equal(expected, MachineSettings.UserNamespace(facts).UserNamespace);
    }

    [Theory]
    [InlineData("1000 iters in 0.05 seconds\r\nnspawn-native-selftest-exit=0\r\n", 0, "1000 iters in 0.05 seconds")]
    [InlineData("error: Opening 'rxe0' failed: EPERM.\r\nnspawn-native-selftest-exit=1\r\n", 1, "error: Opening 'rxe0' failed: EPERM.")]
    [InlineData("", null, "no output")]
    public void TheSelfTestReadsTheClientsExitStatusAndLastWordsFromThePty(string output, int? exit, string words)
    {
        Assert.Equal(exit, SelfTestCheck.ExitStatus(output));
        Assert.Equal(words, SelfTestCheck.LastWords(output));
    }
}
