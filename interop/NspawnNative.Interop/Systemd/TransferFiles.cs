using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// Opens the files and directories that importd reads from or writes to, with one-sentence errors, so a caller can
/// check a path before it calls importd. The handles are passed over D-Bus as file descriptors; the caller keeps
/// ownership and disposes them.
/// </summary>
public static class TransferFiles
{
    /// <summary>Opens a tarball or raw image for reading (import-tar, import-raw).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="TransferFileException">The file is missing, a directory or unreadable.</exception>
    public static SafeFileHandle OpenRead(string path)
    {
        if (Directory.Exists(path))
            throw new TransferFileException($"Cannot read '{path}': it is a directory; give a tarball or image file.");
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TransferFileException($"Cannot read '{path}': {Reason(e)}; check the path and its permissions.", e);
        }
    }

    /// <summary>Creates (or truncates) a file to export an image into (export-tar, export-raw).</summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="TransferFileException">The file cannot be created.</exception>
    public static SafeFileHandle CreateWrite(string path)
    {
        if (Directory.Exists(path))
            throw new TransferFileException($"Cannot write '{path}': it is a directory; give a file name.");
        try
        {
            return File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TransferFileException($"Cannot write '{path}': {Reason(e)}; check the directory and its permissions.", e);
        }
    }

    /// <summary>Opens a directory tree to import (import-fs), as O_DIRECTORY|O_RDONLY|O_CLOEXEC.</summary>
    /// <param name="path">The directory.</param>
    /// <exception cref="TransferFileException">The path is missing, not a directory or unreadable.</exception>
    public static unsafe SafeHandle OpenDirectory(string path)
    {
        int fd;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
            fd = LibC.open(p, LibC.O_DIRECTORY | LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = LibC.errno;
            var reason = errno == LibC.ENOENT ? "it does not exist"
                : errno == LibC.ENOTDIR ? "it is not a directory"
                : errno == LibC.EACCES ? "permission denied"
                : $"errno {errno}";
            throw new TransferFileException($"Cannot open directory '{path}': {reason}; give a readable directory tree.");
        }
        return new FileDescriptorHandle(fd);
    }

    /// <summary>A duplicate of <paramref name="handle"/>'s descriptor, close-on-exec, for a message that consumes
    /// (closes) the handles it carries.</summary>
    internal static SafeHandle Duplicate(SafeHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = LibC.fcntl(handle.DangerousGetHandle().ToInt32(), LibC.F_DUPFD_CLOEXEC, 3);
            if (fd < 0)
                throw new TransferFileException($"Cannot duplicate a file descriptor: errno {LibC.errno}; too many open files?");
            return new FileDescriptorHandle(fd);
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "it does not exist",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message.TrimEnd('.'),
    };

    private sealed class FileDescriptorHandle : SafeHandleMinusOneIsInvalid
    {
        public FileDescriptorHandle(int fd) : base(ownsHandle: true) => SetHandle(fd);

        protected override bool ReleaseHandle() => LibC.close(handle.ToInt32()) == 0;
    }
}

/// <summary>A file or directory for an import or export cannot be opened; nothing was sent to importd.</summary>
public sealed class TransferFileException : NspawnNativeException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public TransferFileException(string message, Exception? innerException = null) : base(message, innerException) { }
}
