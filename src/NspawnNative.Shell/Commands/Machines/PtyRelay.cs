using System.Text;
using Microsoft.Win32.SafeHandles;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>
/// Relays a pty master (from OpenMachineShell) to this process: its output to the verb's writer until the program
/// in the machine closes the pty, and, when given, the terminal's keystrokes back into it.
/// </summary>
internal static class PtyRelay
{
    private const int EIO = 5;

    public static async Task RelayAsync(SafeFileHandle pty, TextWriter output, Stream? input, CancellationToken cancellationToken)
    {
        // A pty cannot seek, so RandomAccess refuses it; unbuffered FileStreams read(2) and write(2) it directly.
        var reader = new FileStream(pty, FileAccess.Read, bufferSize: 0);
        var finished = Task.Factory.StartNew(() => CopyOut(reader, output), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (input is not null)
        {
            // Never awaited: a blocked read on the terminal cannot be interrupted, and it ends with the process or
            // with the first key after the session, which then fails to write and stops.
            var writer = new FileStream(pty, FileAccess.Write, bufferSize: 0);
            _ = Task.Factory.StartNew(() => CopyIn(input, writer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        await finished.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void CopyOut(FileStream pty, TextWriter output)
    {
        var decoder = new UTF8Encoding(false).GetDecoder();
        var bytes = new byte[4096];
        var chars = new char[4097];
        while (true)
        {
            int n;
            try
            {
                n = pty.Read(bytes, 0, bytes.Length);
            }
            catch (IOException e) when (e.HResult == EIO || e.Message.Contains("I/O error", StringComparison.Ordinal))
            {
                // The slave side closed: the program in the machine ended.
                n = 0;
            }
            if (n == 0)
                break;
            int c = decoder.GetChars(bytes, 0, n, chars, 0);
            output.Write(chars, 0, c);
            output.Flush();
        }
        output.Flush();
    }

    private static void CopyIn(Stream input, FileStream pty)
    {
        var buffer = new byte[1024];
        try
        {
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
                pty.Write(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The session is over.
        }
    }
}
