using System.Runtime.InteropServices;
using NspawnNative.Interop.Posix;

namespace NspawnNative.Interop.Verbs;

/// <summary>The one errno table of the verbs binding: turns a failed call into a typed exception whose message
/// carries the advice for the usual causes.</summary>
internal static class VerbsErrors
{
    private const int EPERM = 1, ENOENT = 2, ENOMEM = 12, EACCES = 13, ENODEV = 19, ENOSYS = 38;

    public static VerbsException Library(Exception inner) => new VerbsLibraryMissingException(
        $"libibverbs is not available ('{IbvNative.Library}' could not be loaded: {FirstLine(inner.Message)}); install "
        + "rdma-core's libibverbs (Debian: 'libibverbs1' and 'ibverbs-providers').");

    public static VerbsException NoDevices(int errno, string? wanted, IReadOnlyList<string> present)
    {
        if (wanted is not null && present.Count > 0)
            return new VerbsDeviceNotFoundException(
                $"RDMA device '{wanted}' not found; the devices are {string.Join(", ", present.Select(p => $"'{p}'"))}.", errno);
        var why = errno == ENOSYS
            ? "the kernel has no RDMA support (ENOSYS)"
            : "libibverbs found no device";
        return new VerbsDeviceNotFoundException(
            $"No RDMA device: {why}; either no provider library matches the hardware (install 'ibverbs-providers' and "
            + "check '/sys/class/infiniband'), or the uverbs node is missing (in a container, bind '/dev/infiniband' "
            + "with Bind= in the .nspawn file).", errno);
    }

    public static VerbsException Open(string device, int errno, UverbsProbe probe)
    {
        // libibverbs falls back to searching /dev when opening the node fails, so its errno is often ENOENT or
        // ENODEV even when the device cgroup refused the open; the probe of the node says what really happened.
        var node = probe.Node is null ? "'/dev/infiniband/uverbs*'" : $"'{probe.Node}'";
        if (errno is EPERM or EACCES || probe.OpenErrno is EPERM or EACCES)
            return new VerbsPermissionException(
                $"Opening RDMA device '{device}' was refused ({Describe(probe.OpenErrno is EPERM or EACCES ? probe.OpenErrno : errno)}): the "
                + $"device cgroup does not allow {node} (add DeviceAllow=char-infiniband_verbs rwm to the machine's unit) or the "
                + $"node's permissions do not let this user open it (check 'ls -l {probe.Node ?? "/dev/infiniband"}').", "ibv_open_device", errno);
        if (errno is ENOENT or ENODEV && !probe.NodeExists)
            return new VerbsException(
                $"Opening RDMA device '{device}' failed ({Describe(errno)}): its node {node} is missing; in a container, bind "
                + "'/dev/infiniband' with Bind= in the .nspawn file.", "ibv_open_device", errno);
        return Call("ibv_open_device", $"open RDMA device '{device}'", errno);
    }

    public static VerbsException Pin(string function, string what, int errno)
    {
        if (errno != ENOMEM)
            return Call(function, what, errno);
        ulong soft = ResourceLimits.Infinity;
        string current;
        try
        {
            soft = ResourceLimits.Get(ResourceKind.MemLock).Soft;
            current = ResourceLimits.Format(soft, bytes: true);
        }
        catch (ResourceLimitException)
        {
            current = "unknown";
        }
        return new VerbsMemoryLockException(
            $"Could not {what} ({Describe(errno)}): RLIMIT_MEMLOCK is {current}; raise it with LimitMEMLOCK=infinity in "
            + "the unit's drop-in and in the .nspawn file's [Exec] section (or 'nspawn-native limits set memlock infinity "
            + "--pid PID').", function, errno, soft);
    }

    public static VerbsException Call(string function, string what, int errno) =>
        new($"Could not {what}: {function} failed ({Describe(errno)}).", function, errno);

    public static string Describe(int errno) => errno == 0 ? "no error code" : $"{Marshal.GetPInvokeErrorMessage(errno)}, errno {errno}";

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim().TrimEnd('.');
        return line.Length > 160 ? line[..160] : line;
    }
}
