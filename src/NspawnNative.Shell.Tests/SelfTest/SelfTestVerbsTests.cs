using NspawnNative.Interop.Posix;
using NspawnNative.Shell.Commands.SelfTest;

namespace NspawnNative.Shell.Tests.SelfTest;

public class SelfTestVerbsTests
{
    [Theory]
    [InlineData(null, null, false)]
    [InlineData("auto", null, true)]
    [InlineData("AUTO", null, true)]
    [InlineData("0", 0, false)]
    [InlineData("3", 3, false)]
    public void Gid_option_takes_an_index_or_auto(string? text, int? index, bool auto)
    {
        Assert.Equal((index, auto), PingPongCliOptions.ParseGid(text));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("one")]
    [InlineData("1.5")]
    public void Gid_option_refuses_anything_else(string text)
    {
        Assert.Throws<UsageException>(() => PingPongCliOptions.ParseGid(text));
    }

    [Theory]
    [InlineData("selftest", "server", "-m", "1000")]
    [InlineData("selftest", "loopback", "-s", "0")]
    [InlineData("selftest", "loopback", "-n", "0")]
    [InlineData("selftest", "loopback", "-r", "1")]
    [InlineData("selftest", "loopback", "-p", "70000")]
    [InlineData("selftest", "loopback", "-g", "x")]
    [InlineData("selftest", "loopback", "--timeout", "0")]
    [InlineData("selftest", "client")]
    [InlineData("limits", "set", "memlock", "lots")]
    [InlineData("limits", "set", "memlock", "8M:1M")]
    [InlineData("limits", "set", "bananas", "1M")]
    public async Task Bad_options_are_usage_errors(params string[] args)
    {
        var r = await ShellHarness.RunAsync(args);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Err}");
        Assert.Contains("error:", r.Err);
    }

    [Theory]
    [InlineData("memlock", ResourceKind.MemLock)]
    [InlineData("RLIMIT_MEMLOCK", ResourceKind.MemLock)]
    [InlineData("nofile", ResourceKind.OpenFiles)]
    [InlineData("msgqueue", ResourceKind.MessageQueue)]
    public void Resources_are_named_as_prlimit_names_them(string text, ResourceKind kind)
    {
        Assert.Equal(kind, LimitsVerbs.ParseResource(text));
    }

    [Theory]
    [InlineData("infinity", ulong.MaxValue, ulong.MaxValue)]
    [InlineData("64K", 65536UL, 65536UL)]
    [InlineData("8M:infinity", 8388608UL, ulong.MaxValue)]
    public void A_value_sets_both_limits_unless_soft_and_hard_are_given(string text, ulong soft, ulong hard)
    {
        Assert.Equal(new ResourceLimit(soft, hard), LimitsVerbs.ParseLimit(text));
    }

    [Fact]
    public async Task Limits_shows_memlock_first_and_as_json()
    {
        var table = await ShellHarness.RunAsync(["limits"]);
        Assert.Equal(0, table.ExitCode);
        Assert.StartsWith("RLIMIT_MEMLOCK", table.Out.Split('\n')[1]);
        var json = await ShellHarness.RunAsync(["limits", "--json"]);
        Assert.Equal(0, json.ExitCode);
        Assert.Contains("\"name\": \"RLIMIT_MEMLOCK\"", json.Out);
        Assert.Contains($"\"pid\": {Environment.ProcessId}", json.Out);
    }

    [Fact]
    public async Task Lowering_this_process_soft_limit_is_allowed_and_shown()
    {
        var nofile = ResourceLimits.Get(ResourceKind.OpenFiles);
        try
        {
            var r = await ShellHarness.RunAsync(["limits", "set", "nofile", $"{nofile.Soft - 1}:{(nofile.HardIsInfinite ? "infinity" : nofile.Hard)}"]);
            Assert.True(r.ExitCode == 0, r.Err);
            Assert.Contains($"RLIMIT_NOFILE {nofile.Soft - 1}", r.Out.Replace("  ", " ", StringComparison.Ordinal));
        }
        finally
        {
            ResourceLimits.Set(ResourceKind.OpenFiles, nofile);
        }
    }
}
