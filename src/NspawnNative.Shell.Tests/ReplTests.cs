using NspawnNative.Shell.Repl;

namespace NspawnNative.Shell.Tests;

public class ReplTests
{
    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("nspawn set web 'Exec.Environment=A=b c'", new[] { "nspawn", "set", "web", "Exec.Environment=A=b c" })]
    [InlineData("say \"x \\\"y\\\" $z\"", new[] { "say", "x \"y\" $z" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("list # comment", new[] { "list" })]
    [InlineData("Bind=/a#b", new[] { "Bind=/a#b" })]
    [InlineData("   ", new string[0])]
    public void Words_are_split_as_a_posix_shell_would(string line, string[] expected)
    {
        Assert.Equal(expected, WordSplitter.Split(line));
    }

    [Fact]
    public void Completion_offers_verbs_and_options_from_the_parser()
    {
        using var session = new ShellSession(TextWriter.Null, TextWriter.Null, ShellSettings.Default);
        var completion = new ShellCompletion(session);
        Assert.Contains("version", completion.Complete("", "ver"));
        Assert.DoesNotContain("help", completion.Complete("", "ver"));
        Assert.Contains("--json", completion.Complete("version ", "--j"));
    }

    [Fact]
    public void History_goes_to_xdg_state_home()
    {
        var old = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_STATE_HOME", "/tmp/nn-state");
            Assert.Equal("/tmp/nn-state/nspawn-native/history", HistoryFile.DefaultPath());
            Environment.SetEnvironmentVariable("XDG_STATE_HOME", null);
            Assert.EndsWith("/.local/state/nspawn-native/history", HistoryFile.DefaultPath());
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_STATE_HOME", old);
        }
    }

    [Fact]
    public void History_round_trips_through_its_file()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var path = Path.Combine(dir.FullName, "sub", "history");
            var h = HistoryFile.Open(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, path);
            h.Append("hca list");
            h.Append("list --json");
            Assert.Equal(["hca list", "list --json"], HistoryFile.Open(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, path).Load());
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
