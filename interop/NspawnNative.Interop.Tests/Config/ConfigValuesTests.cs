using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Tests.Config;

public class ConfigValuesTests
{
    [Theory]
    [InlineData("infinity", ulong.MaxValue, ulong.MaxValue)]
    [InlineData("64", 64UL, 64UL)]
    [InlineData("8M", 8UL << 20, 8UL << 20)]
    [InlineData("1K:2G", 1024UL, 2UL << 30)]
    [InlineData("64M:infinity", 64UL << 20, ulong.MaxValue)]
    public void Limits_are_read_with_base_1024_suffixes(string text, ulong soft, ulong hard)
    {
        Assert.Equal((soft, hard), ConfigValues.ParseLimit(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("8Q")]
    [InlineData("-1")]
    [InlineData("1:2:3")]
    [InlineData("99999999999999999999E")]
    public void Bad_limits_are_refused(string text)
    {
        Assert.NotNull(ConfigValues.CheckLimit(text));
    }

    [Fact]
    public void A_soft_limit_above_the_hard_one_is_refused()
    {
        Assert.Contains("above", ConfigValues.CheckLimit("2G:1G"));
    }

    [Theory]
    [InlineData("/dev/infiniband/", "/dev/infiniband/", "/dev/infiniband/", "")]
    [InlineData("/a\\:b:/c:norbind", "/a:b", "/c", "norbind")]
    [InlineData("-/opt::rbind", "-/opt", "/opt", "rbind")]
    public void Bind_values_split_with_escaped_colons(string value, string src, string dst, string options)
    {
        Assert.Equal((src, dst, options), ConfigValues.SplitBind(value));
        Assert.Null(ConfigValues.CheckBind(value));
    }

    [Theory]
    [InlineData("relative")]
    [InlineData("/a:relative")]
    [InlineData("/a:/b:bogus")]
    [InlineData("/a:/b:rbind:x")]
    public void Bad_binds_are_refused(string value)
    {
        Assert.NotNull(ConfigValues.CheckBind(value));
    }

    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("TERM", 15)]
    [InlineData("RTMIN+2", 36)]
    [InlineData("RTMAX-0", 64)]
    [InlineData("9", 9)]
    public void Signals_are_read_by_name_or_number(string text, int number)
    {
        Assert.Equal(number, ConfigValues.ParseSignal(text));
    }

    [Theory]
    [InlineData("RTMIN+2147483644")]
    [InlineData("RTMIN+31")]
    [InlineData("65")]
    [InlineData("SIGFOO")]
    public void Out_of_range_signals_are_refused(string text)
    {
        Assert.Null(ConfigValues.ParseSignal(text));
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("T", true)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    public void Booleans_follow_systemd(string text, bool expected)
    {
        Assert.Equal(expected, ConfigValues.ParseBoolean(text));
    }

    [Fact]
    public void Words_honour_quotes()
    {
        Assert.Equal(["a", "b c", "d"], ConfigValues.Words(" a \"b c\"  d "));
    }
}
