using NspawnNative.Interop.Posix;

namespace NspawnNative.Interop.Tests.Posix;

public class PosixNamesTests
{
    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("term", 15)]
    [InlineData("9", 9)]
    [InlineData("SIGINT", 2)]
    [InlineData("SIGRTMIN", 34)]
    [InlineData("SIGRTMIN+4", 38)]
    [InlineData("RTMAX-1", 63)]
    public void SignalNamesAndNumbersParseToLinuxNumbers(string text, int expected) =>
        Assert.Equal(expected, Signals.Parse(text));

    [Theory]
    [InlineData("SIGFOO")]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("99")]
    [InlineData("SIGRTMIN-1")]
    [InlineData("SIGRTMIN+40")]
    public void UnknownSignalsAreRefusedWithOneSentence(string text)
    {
        var e = Assert.Throws<InvalidInputException>(() => Signals.Parse(text));
        Assert.StartsWith($"Unknown signal '{text}'", e.Message);
    }

    [Fact]
    public void RootHasANameAndAnUnusedIdHasNone()
    {
        var passwd = File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')).First(f => f[2] == "0");
        Assert.Equal(passwd[0], Accounts.UserName(0));
        var group = File.ReadAllLines("/etc/group").Select(l => l.Split(':')).First(f => f[2] == "0");
        Assert.Equal(group[0], Accounts.GroupName(0));
        Assert.Null(Accounts.UserName(3_999_999_999));
        Assert.Null(Accounts.GroupName(3_999_999_999));
    }
}
