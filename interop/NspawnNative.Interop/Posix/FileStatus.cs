using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace NspawnNative.Interop.Posix;

/// <summary>What statx(2) says about one path, following symlinks.</summary>
/// <param name="Path">The path that was examined.</param>
/// <param name="Mode">The full st_mode: file type bits and permission bits.</param>
/// <param name="Uid">The numeric owner.</param>
/// <param name="Gid">The numeric group.</param>
/// <param name="RdevMajor">The major number of the device the node stands for (0 for non-device files).</param>
/// <param name="RdevMinor">The minor number of the device the node stands for.</param>
public sealed record FileStatus(string Path, uint Mode, uint Uid, uint Gid, uint RdevMajor, uint RdevMinor)
{
    private const uint TypeMask = 0xF000;   // S_IFMT
    private const uint CharDevice = 0x2000; // S_IFCHR
    private const uint RegularFile = 0x8000; // S_IFREG

    /// <summary>True when the path is a character device node.</summary>
    public bool IsCharacterDevice => (Mode & TypeMask) == CharDevice;

    /// <summary>True when the path is a regular file (not a directory, FIFO, socket or device).</summary>
    public bool IsRegularFile => (Mode & TypeMask) == RegularFile;

    /// <summary>The permission bits (including setuid, setgid, sticky) as four octal digits, for example <c>0666</c>.</summary>
    public string PermissionsOctal => Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0');

    /// <summary>Reads the status of <paramref name="path"/> with statx(2); symlinks are followed.</summary>
    /// <param name="path">The path to examine.</param>
    /// <param name="status">The status when the call succeeded.</param>
    /// <param name="errno">The errno of the failed call (ENOENT for a missing path), 0 on success.</param>
    /// <returns>True when the path exists and could be examined.</returns>
    public static unsafe bool TryGet(string path, out FileStatus? status, out int errno)
    {
        var bytes = NullTerminated(path);
        statx buffer = default;
        int rc;
        fixed (byte* p = bytes)
            rc = statx(AT_FDCWD, p, 0, STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID, &buffer);
        if (rc != 0)
        {
            errno = Tmds.Linux.LibC.errno;
            status = null;
            return false;
        }
        errno = 0;
        status = new FileStatus(path, buffer.stx_mode, buffer.stx_uid, buffer.stx_gid, buffer.stx_rdev_major, buffer.stx_rdev_minor);
        return true;
    }

    internal static byte[] NullTerminated(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }
}
