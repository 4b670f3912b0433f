using System.Runtime.InteropServices;
using System.Text;

namespace NspawnNative.Interop.Config;

/// <summary>
/// Replaces or removes a file so that a crash at any moment leaves either the old or the new content, never a
/// partial or missing file: the new content goes to a temporary file in the same directory, is fsynced, renamed over
/// the target, and the directory is fsynced. The previous content is kept next to the file as
/// <c>FILE.nspawn-native.bak</c> (written the same way), and the write is refused when the file no longer holds what
/// the caller read.
/// </summary>
/// <remarks>
/// The backup and temporary names never end in <c>.conf</c> or <c>.nspawn</c>, so systemd, nspawn and pam_limits
/// never load them. Only one backup is kept per file: the content before our latest change.
/// </remarks>
public static partial class AtomicFileWriter
{
    /// <summary>The suffix of the backup kept next to a file we changed.</summary>
    public const string BackupSuffix = ".nspawn-native.bak";

    /// <summary>The mode of every file we write: 0644, never executable (nspawn warns about executable files).</summary>
    public const UnixFileMode FileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The backup path for <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    public static string BackupPathFor(string path) => path + BackupSuffix;

    /// <summary>The largest file read as configuration (systemd's own limit for unit files is far below it).</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Reads a file as UTF-8 text, or null when it does not exist.</summary>
    /// <param name="path">The path to open.</param>
    /// <exception cref="ConfigFileException">The path exists but is not a regular file, is too large, or cannot be
    /// read.</exception>
    public static string? ReadOrNull(string path)
    {
        // A configuration file is a small regular file: a directory, FIFO or device in its place (a FIFO would block
        // forever, /dev/zero never ends) is refused before it is opened.
        if (!Posix.FileStatus.TryGet(path, out var status, out int errno))
        {
            if (errno == 2) // ENOENT
                return null;
        }
        else if (status!.IsCharacterDevice && status.RdevMajor == 1 && status.RdevMinor == 3)
        {
            return ""; // a link to /dev/null masks a unit file or drop-in: systemd reads it as empty
        }
        else if (!status.IsRegularFile)
        {
            throw new ConfigFileException($"Cannot read '{path}': it is not a regular file; remove or rename what stands there.");
        }
        try
        {
            if (!File.Exists(path))
                return null;
            if (new FileInfo(path).Length > MaxFileBytes)
                throw new ConfigFileException($"Cannot read '{path}': it is larger than {MaxFileBytes / 1024 / 1024} MiB, which no configuration file is; check the path.");
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigFileException($"Cannot read '{path}': {e.Message.TrimEnd('.')}; check its permissions.", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> atomically, mode 0644, creating the directory when
    /// needed and keeping the previous content as a backup.
    /// </summary>
    /// <param name="path">The file to write (already mapped under the root).</param>
    /// <param name="content">The new content.</param>
    /// <param name="expected">What the caller read from the file, or null when it did not exist.</param>
    /// <exception cref="ConfigChangedOnDiskException">The file no longer holds <paramref name="expected"/>.</exception>
    /// <exception cref="ConfigFileException">The write failed; the file keeps its old content.</exception>
    public static void Write(string path, string content, string? expected)
    {
        var dir = Path.GetDirectoryName(path) ?? "/";
        try
        {
            Directory.CreateDirectory(dir);
            // TODO (config): no lock is taken, so a writer racing between this check and the rename goes unnoticed;
            // and a writer killed mid-way leaves its temporary file behind (never loaded, but not cleaned up).
            var current = ReadOrNull(path);
            if (current != expected)
                throw new ConfigChangedOnDiskException(path);
            if (current is not null)
                Replace(BackupPathFor(path), current);
            Replace(path, content);
            SyncDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigFileException($"Cannot write '{path}': {e.Message.TrimEnd('.')}; check the directory and its permissions.", e);
        }
    }

    /// <summary>Removes <paramref name="path"/>, keeping its content as the backup.</summary>
    /// <param name="path">The file to remove (already mapped under the root).</param>
    /// <param name="expected">What the caller read from the file.</param>
    /// <exception cref="ConfigChangedOnDiskException">The file no longer holds <paramref name="expected"/>.</exception>
    /// <exception cref="ConfigFileException">The removal failed.</exception>
    public static void Delete(string path, string expected)
    {
        var dir = Path.GetDirectoryName(path) ?? "/";
        try
        {
            var current = ReadOrNull(path);
            if (current != expected)
                throw new ConfigChangedOnDiskException(path);
            Replace(BackupPathFor(path), current);
            File.Delete(path);
            SyncDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigFileException($"Cannot remove '{path}': {e.Message.TrimEnd('.')}; check the directory and its permissions.", e);
        }
    }

    private static void Replace(string path, string content)
    {
        var dir = Path.GetDirectoryName(path) ?? "/";
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.nspawn-native-tmp");
        try
        {
            var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = FileMode;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(new UTF8Encoding(false).GetBytes(content));
                stream.Flush(flushToDisk: true);
            }
            // The umask may have narrowed the create mode; the file must still be 0644.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, FileMode);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    private static void SyncDirectory(string dir)
    {
        int fd = Native.open(dir, Native.O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC);
        if (fd < 0)
            throw new IOException($"open failed with errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Native.fsync(fd) != 0)
                throw new IOException($"fsync failed with errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    // fcntl.h and unistd.h: just what syncing a directory needs.
    private static partial class Native
    {
        public const int O_RDONLY = 0;
        public const int O_DIRECTORY = 0x10000; // x86_64 and aarch64
        public const int O_CLOEXEC = 0x80000;

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int open(string pathname, int flags);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int fsync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int close(int fd);
    }
}
