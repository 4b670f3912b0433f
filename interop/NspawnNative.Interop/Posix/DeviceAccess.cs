using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace NspawnNative.Interop.Posix;

/// <summary>Whether this process may use a device node: opening it for reading and writing, as libibverbs does.</summary>
public static class DeviceAccess
{
    /// <summary>
    /// Opens <paramref name="path"/> read-write (non-blocking, close-on-exec) and closes it at once. Unlike a
    /// permission check this also sees the device cgroup, which is what denies a container its nodes.
    /// </summary>
    /// <param name="path">The device node.</param>
    /// <param name="errno">The errno of the failed open, 0 on success.</param>
    /// <returns>True when the open succeeded.</returns>
    public static unsafe bool TryOpenReadWrite(string path, out int errno)
    {
        var bytes = FileStatus.NullTerminated(path);
        int fd;
        fixed (byte* p = bytes)
            fd = open(p, O_RDWR | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
        {
            errno = Tmds.Linux.LibC.errno;
            return false;
        }
        close(fd);
        errno = 0;
        return true;
    }

    /// <summary>
    /// Checks read and write permission with faccessat(2) and the effective ids, without opening the node; for
    /// nodes whose open has side effects (an open issmN marks the port as running a subnet manager).
    /// </summary>
    /// <param name="path">The device node.</param>
    /// <param name="errno">The errno of the failed check, 0 on success.</param>
    /// <returns>True when read and write would be permitted by the file's mode and owner.</returns>
    public static unsafe bool HasReadWritePermission(string path, out int errno)
    {
        var bytes = FileStatus.NullTerminated(path);
        int rc;
        fixed (byte* p = bytes)
            rc = faccessat(AT_FDCWD, p, R_OK | W_OK, AT_EACCESS);
        errno = rc == 0 ? 0 : Tmds.Linux.LibC.errno;
        return rc == 0;
    }
}
