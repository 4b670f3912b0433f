using System.Globalization;
using System.Runtime.InteropServices;

namespace NspawnNative.Interop.Posix;

/// <summary>The resources of getrlimit(2) (&lt;sys/resource.h&gt;, Linux numbering on every architecture .NET runs
/// on).</summary>
public enum ResourceKind
{
    /// <summary>RLIMIT_CPU: CPU time in seconds.</summary>
    Cpu = 0,
    /// <summary>RLIMIT_FSIZE: largest file in bytes.</summary>
    FileSize = 1,
    /// <summary>RLIMIT_DATA: data segment in bytes.</summary>
    Data = 2,
    /// <summary>RLIMIT_STACK: stack in bytes.</summary>
    Stack = 3,
    /// <summary>RLIMIT_CORE: core file in bytes.</summary>
    Core = 4,
    /// <summary>RLIMIT_RSS: resident set in bytes (not enforced by Linux).</summary>
    Rss = 5,
    /// <summary>RLIMIT_NPROC: processes of the user.</summary>
    Processes = 6,
    /// <summary>RLIMIT_NOFILE: open files.</summary>
    OpenFiles = 7,
    /// <summary>RLIMIT_MEMLOCK: locked (pinned) memory in bytes; RDMA memory registration counts against it.</summary>
    MemLock = 8,
    /// <summary>RLIMIT_AS: address space in bytes.</summary>
    AddressSpace = 9,
    /// <summary>RLIMIT_LOCKS: file locks.</summary>
    Locks = 10,
    /// <summary>RLIMIT_SIGPENDING: queued signals.</summary>
    PendingSignals = 11,
    /// <summary>RLIMIT_MSGQUEUE: POSIX message queue bytes.</summary>
    MessageQueue = 12,
    /// <summary>RLIMIT_NICE: ceiling of the nice value.</summary>
    Nice = 13,
    /// <summary>RLIMIT_RTPRIO: real-time priority.</summary>
    RealtimePriority = 14,
    /// <summary>RLIMIT_RTTIME: real-time CPU time in microseconds.</summary>
    RealtimeTimeout = 15,
}

/// <summary>A soft and hard limit pair; <see cref="ResourceLimits.Infinity"/> means unlimited.</summary>
/// <param name="Soft">The limit the kernel enforces.</param>
/// <param name="Hard">The ceiling an unprivileged process may raise the soft limit to.</param>
public readonly record struct ResourceLimit(ulong Soft, ulong Hard)
{
    /// <summary>True when the soft limit is unlimited.</summary>
    public bool SoftIsInfinite => Soft == ResourceLimits.Infinity;

    /// <summary>True when the hard limit is unlimited.</summary>
    public bool HardIsInfinite => Hard == ResourceLimits.Infinity;
}

/// <summary>A resource limit could not be read or changed.</summary>
public sealed class ResourceLimitException : NspawnNativeException
{
    /// <summary>Creates the exception with an operator-facing message and the errno value.</summary>
    public ResourceLimitException(string message, int errno) : base(message) => Errno = errno;

    /// <summary>The errno value prlimit(2) returned.</summary>
    public int Errno { get; }
}

/// <summary>
/// getrlimit, setrlimit and prlimit (&lt;sys/resource.h&gt;) for this process or any PID, through prlimit(2) (PID 0
/// is this process). Raising another process's limit, or a hard limit, needs CAP_SYS_RESOURCE.
/// </summary>
public static partial class ResourceLimits
{
    /// <summary>RLIM_INFINITY: no limit.</summary>
    public const ulong Infinity = ulong.MaxValue;

    /// <summary>Every resource, in the kernel's order (the order of /proc/PID/limits).</summary>
    public static IReadOnlyList<ResourceKind> All { get; } = Enum.GetValues<ResourceKind>();

    /// <summary>Reads one limit of this process (getrlimit).</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>Its soft and hard limit.</returns>
    /// <exception cref="ResourceLimitException">The call failed.</exception>
    public static ResourceLimit Get(ResourceKind resource) => Get(0, resource);

    /// <summary>Reads one limit of process <paramref name="pid"/> (prlimit with no new value).</summary>
    /// <param name="pid">The process; 0 is this process.</param>
    /// <param name="resource">The resource.</param>
    /// <returns>Its soft and hard limit.</returns>
    /// <exception cref="ResourceLimitException">The process does not exist or may not be inspected.</exception>
    public static unsafe ResourceLimit Get(int pid, ResourceKind resource)
    {
        Rlimit old;
        if (prlimit(pid, (int)resource, null, &old) != 0)
            throw Failure("read", pid, resource, Marshal.GetLastPInvokeError());
        return new ResourceLimit(old.rlim_cur, old.rlim_max);
    }

    /// <summary>Sets one limit of this process (setrlimit).</summary>
    /// <param name="resource">The resource.</param>
    /// <param name="limit">The new soft and hard limit.</param>
    /// <exception cref="ResourceLimitException">The call failed (EPERM: raising the hard limit needs CAP_SYS_RESOURCE).</exception>
    public static void Set(ResourceKind resource, ResourceLimit limit) => Set(0, resource, limit);

    /// <summary>Sets one limit of process <paramref name="pid"/> (prlimit) and returns the previous value.</summary>
    /// <param name="pid">The process; 0 is this process.</param>
    /// <param name="resource">The resource.</param>
    /// <param name="limit">The new soft and hard limit.</param>
    /// <returns>The limit before the change.</returns>
    /// <exception cref="ResourceLimitException">The call failed.</exception>
    public static unsafe ResourceLimit Set(int pid, ResourceKind resource, ResourceLimit limit)
    {
        var value = new Rlimit { rlim_cur = limit.Soft, rlim_max = limit.Hard };
        Rlimit old;
        if (prlimit(pid, (int)resource, &value, &old) != 0)
            throw Failure("set", pid, resource, Marshal.GetLastPInvokeError());
        return new ResourceLimit(old.rlim_cur, old.rlim_max);
    }

    /// <summary>The name of a resource as getrlimit(2) spells it, e.g. "RLIMIT_MEMLOCK".</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>The constant's name.</returns>
    public static string CName(ResourceKind resource) => resource switch
    {
        ResourceKind.FileSize => "RLIMIT_FSIZE",
        ResourceKind.Processes => "RLIMIT_NPROC",
        ResourceKind.OpenFiles => "RLIMIT_NOFILE",
        ResourceKind.AddressSpace => "RLIMIT_AS",
        ResourceKind.PendingSignals => "RLIMIT_SIGPENDING",
        ResourceKind.RealtimePriority => "RLIMIT_RTPRIO",
        ResourceKind.RealtimeTimeout => "RLIMIT_RTTIME",
        ResourceKind.MessageQueue => "RLIMIT_MSGQUEUE",
        _ => "RLIMIT_" + resource.ToString().ToUpperInvariant(),
    };

    /// <summary>True for the resources measured in bytes (printed with K/M/G suffixes).</summary>
    /// <param name="resource">The resource.</param>
    public static bool IsBytes(ResourceKind resource) => resource is ResourceKind.FileSize or ResourceKind.Data
        or ResourceKind.Stack or ResourceKind.Core or ResourceKind.Rss or ResourceKind.MemLock
        or ResourceKind.AddressSpace or ResourceKind.MessageQueue;

    /// <summary>Formats a value as systemd does: "infinity", or bytes with a binary suffix when exact (64K, 8M).</summary>
    /// <param name="value">The value.</param>
    /// <param name="bytes">Whether the value is a size in bytes.</param>
    /// <returns>The text.</returns>
    public static string Format(ulong value, bool bytes)
    {
        if (value == Infinity)
            return "infinity";
        if (bytes && value != 0)
        {
            foreach (var (suffix, shift) in new[] { ("E", 60), ("P", 50), ("T", 40), ("G", 30), ("M", 20), ("K", 10) })
            {
                if (value % (1UL << shift) == 0)
                    return (value >> shift).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }
        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a limit as systemd's LimitMEMLOCK= does: "infinity" (or "unlimited"), a number, or a number
    /// with a binary suffix K, M, G, T (1024-based).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The parsed value.</param>
    /// <returns>True when the text is valid.</returns>
    public static bool TryParse(string? text, out ulong value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        if (text is "infinity" or "unlimited")
        {
            value = Infinity;
            return true;
        }
        int shift = char.ToUpperInvariant(text[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        var digits = shift == 0 ? text : text[..^1];
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)
            || !ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return false;
        if (shift > 0 && n > ulong.MaxValue >> shift)
            return false;
        value = n << shift;
        return true;
    }

    private static ResourceLimitException Failure(string what, int pid, ResourceKind resource, int errno)
    {
        var who = pid == 0 ? "this process" : $"process {pid}";
        var advice = errno switch
        {
            1 => "raising a hard limit or changing another user's process needs CAP_SYS_RESOURCE; run as root",
            3 => "the process does not exist; check the PID",
            22 => "the soft limit is above the hard limit; give a soft limit at most the hard one",
            _ => "check the PID and the value",
        };
        return new ResourceLimitException(
            $"Could not {what} {CName(resource)} of {who}: {Marshal.GetPInvokeErrorMessage(errno)}; {advice}.", errno);
    }

    // struct rlimit (<sys/resource.h>)
    private struct Rlimit
    {
        public ulong rlim_cur;
        public ulong rlim_max;
    }

    // glibc's soname, as Tmds.LibC names it.
    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial int prlimit(int pid, int resource, Rlimit* new_limit, Rlimit* old_limit);
}
