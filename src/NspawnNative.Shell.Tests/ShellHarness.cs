namespace NspawnNative.Shell.Tests;

/// <summary>Runs the shell in-process with captured output, as the three modes do from a terminal.</summary>
internal static class ShellHarness
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static async Task<Result> RunAsync(string[] args, string? stdin = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int rc = await ShellApp.RunAsync(args, output, error, stdin is null ? null : new StringReader(stdin), stdinIsTerminal: stdin is null ? true : false);
        return new Result(rc, output.ToString(), error.ToString());
    }
}
