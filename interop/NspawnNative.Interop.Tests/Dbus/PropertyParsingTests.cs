using NspawnNative.Interop.Posix;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Tests.Dbus;

/// <summary>The /proc and os-release readers behind memlock show and the OS column of list.</summary>
public sealed class PropertyParsingTests
{
    private const string Limits =
        "Limit                     Soft Limit           Hard Limit           Units     \n" +
        "Max cpu time              unlimited            unlimited            seconds   \n" +
        "Max locked memory         8388608              unlimited            bytes     \n" +
        "Max address space         unlimited            unlimited            bytes     \n";

    [Fact]
    public void ProcLimits_reads_soft_and_hard_with_unlimited_as_infinity()
    {
        Assert.Equal(new ResourceLimit(8388608, ulong.MaxValue), ProcLimits.Parse(Limits, "Max locked memory"));
    }

    [Fact]
    public void ProcLimits_gives_null_for_a_missing_line()
    {
        Assert.Null(ProcLimits.Parse(Limits, "Max realtime timeout"));
    }

    [Theory]
    [InlineData("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n", "debian", "12", "Debian GNU/Linux 12 (bookworm)")]
    [InlineData("# comment\nID='arch'\nBUILD_ID=rolling\n", "arch", null, null)]
    public void OsRelease_reads_id_version_and_pretty_name(string text, string id, string? version, string? pretty)
    {
        Assert.Equal(new OsRelease(id, version, pretty), OsRelease.Parse(text));
    }

    [Fact]
    public void OsRelease_reads_through_the_leaders_root_under_the_configured_root()
    {
        var root = Directory.CreateTempSubdirectory("nn-osrel-").FullName;
        try
        {
            Directory.CreateDirectory($"{root}/proc/4242/root/usr/lib");
            File.WriteAllText($"{root}/proc/4242/root/usr/lib/os-release", "ID=debian\nVERSION_ID=12\n");
            var paths = new HostPaths(root, "/sys", "/dev");
            Assert.Equal(new OsRelease("debian", "12", null), OsRelease.ReadForLeader(paths, 4242));
            Assert.Null(OsRelease.ReadForLeader(paths, 4243));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
