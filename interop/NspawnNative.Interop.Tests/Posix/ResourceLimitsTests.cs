using NspawnNative.Interop.Posix;

namespace NspawnNative.Interop.Tests.Posix;

public class ResourceLimitsTests
{
    [Fact]
    public void Memlock_of_this_process_matches_proc_self_limits()
    {
        var limit = ResourceLimits.Get(ResourceKind.MemLock);
        var line = File.ReadAllLines("/proc/self/limits").Single(l => l.StartsWith("Max locked memory", StringComparison.Ordinal));
        var fields = line["Max locked memory".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(fields[0] == "unlimited" ? ResourceLimits.Infinity : ulong.Parse(fields[0]), limit.Soft);
        Assert.Equal(fields[1] == "unlimited" ? ResourceLimits.Infinity : ulong.Parse(fields[1]), limit.Hard);
    }

    [Fact]
    public void Reading_by_pid_gives_the_same_as_reading_this_process()
    {
        Assert.Equal(ResourceLimits.Get(ResourceKind.OpenFiles), ResourceLimits.Get(Environment.ProcessId, ResourceKind.OpenFiles));
    }

    [Fact]
    public void Lowering_and_restoring_the_soft_limit_works_without_privileges()
    {
        // One file descriptor less, then back: harmless for the other tests running in this process.
        var before = ResourceLimits.Get(ResourceKind.OpenFiles);
        Assert.SkipWhen(before.Soft is 0 or ResourceLimits.Infinity, "the open-files soft limit cannot be lowered by one");
        var old = ResourceLimits.Set(0, ResourceKind.OpenFiles, before with { Soft = before.Soft - 1 });
        try
        {
            Assert.Equal(before, old);
            Assert.Equal(before.Soft - 1, ResourceLimits.Get(ResourceKind.OpenFiles).Soft);
        }
        finally
        {
            ResourceLimits.Set(ResourceKind.OpenFiles, before);
        }
        Assert.Equal(before, ResourceLimits.Get(ResourceKind.OpenFiles));
    }

    [Fact]
    public void A_process_that_does_not_exist_gives_esrch_with_advice()
    {
        var e = Assert.Throws<ResourceLimitException>(() => ResourceLimits.Get(int.MaxValue, ResourceKind.MemLock));
        Assert.Equal(3, e.Errno);
        Assert.Contains("RLIMIT_MEMLOCK", e.Message);
        Assert.EndsWith(".", e.Message);
    }

    [Theory]
    [InlineData("infinity", ulong.MaxValue)]
    [InlineData("unlimited", ulong.MaxValue)]
    [InlineData("65536", 65536UL)]
    [InlineData("64K", 65536UL)]
    [InlineData("8M", 8388608UL)]
    [InlineData("2g", 2147483648UL)]
    public void Limits_parse_as_systemd_writes_them(string text, ulong expected)
    {
        Assert.True(ResourceLimits.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("-1")]
    [InlineData("1.5M")]
    [InlineData("99999999999999999999")]
    [InlineData("16777216T")]
    public void Bad_limits_are_refused(string text)
    {
        Assert.False(ResourceLimits.TryParse(text, out _));
    }

    [Theory]
    [InlineData(ulong.MaxValue, true, "infinity")]
    [InlineData(65536UL, true, "64K")]
    [InlineData(8388608UL, true, "8M")]
    [InlineData(1000UL, true, "1000")]
    [InlineData(1024UL, false, "1024")]
    public void Limits_format_as_systemd_writes_them(ulong value, bool bytes, string expected)
    {
        Assert.Equal(expected, ResourceLimits.Format(value, bytes));
    }
}
