using NspawnNative.Interop.Posix;
using Microsoft.Extensions.Logging;

namespace NspawnNative.Shell.Repl;

/// <summary>Runs commands one per line from a file or a pipe; stops at the first failure unless told to go on.</summary>
internal static class ScriptRunner
{
    public static async Task<int> RunFileAsync(ShellSession session, string path, bool keepGoing)
    {
        TextReader reader;
        // A script is a regular file: a directory gives a misleading "access denied", and a FIFO without a writer
        // would block before any command could be interrupted.
        if (Directory.Exists(path) || (FileStatus.TryGet(path, out var status, out _) && !status!.IsRegularFile))
        {
            session.Log.LogError("Cannot read script '{Path}': it is not a regular file; give a file with one command per line.", path);
            return ExitCodes.Failure;
        }
        try
        {
            reader = new StreamReader(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            session.Log.LogError("Cannot read script '{Path}': {Reason}; check the path and its permissions.", path, e.Message.TrimEnd('.'));
            return ExitCodes.Failure;
        }
        using (reader)
            return await RunAsync(session, reader, path, keepGoing, CancellationToken.None).ConfigureAwait(false);
    }

    public static async Task<int> RunAsync(ShellSession session, TextReader reader, string name, bool keepGoing, CancellationToken cancellationToken)
    {
        int status = ExitCodes.Success;
        int lineNumber = 0;
        string? line;
        while ((line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) is not null)
        {
            lineNumber++;
            List<string> words;
            try
            {
                words = WordSplitter.Split(line);
            }
            catch (UsageException e)
            {
                session.Log.LogError("{Name}:{Line}: {Error}", name, lineNumber, e.Message);
                status = ExitCodes.Usage;
                if (!keepGoing) return status;
                continue;
            }
            if (words.Count == 0)
                continue;
            if (words is ["exit"] or ["quit"])
                return status;

            int rc = await session.ExecuteAsync(words, cancellationToken).ConfigureAwait(false);
            if (rc != ExitCodes.Success)
            {
                status = rc;
                if (!keepGoing)
                {
                    session.Log.LogError("{Name}:{Line}: stopping at the first failing command (exit status {Status}); use --keep-going to go on.", name, lineNumber, rc);
                    return rc;
                }
            }
        }
        return status;
    }
}
