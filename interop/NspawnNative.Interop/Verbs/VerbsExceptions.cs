namespace NspawnNative.Interop.Verbs;

/// <summary>A libibverbs call failed; the message says which, why, and what to do.</summary>
public class VerbsException : NspawnNativeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The operator-facing sentence.</param>
    /// <param name="function">The C function that failed, e.g. "ibv_reg_mr".</param>
    /// <param name="errno">The errno value, or 0 when none applies.</param>
    public VerbsException(string message, string function, int errno) : base(message)
    {
        Function = function;
        Errno = errno;
    }

    /// <summary>The C function that failed.</summary>
    public string Function { get; }

    /// <summary>The errno value of the failure (0 when none applies).</summary>
    public int Errno { get; }
}

/// <summary>libibverbs.so.1 is not installed (or cannot be loaded).</summary>
public sealed class VerbsLibraryMissingException : VerbsException
{
    /// <summary>Creates the exception.</summary>
    public VerbsLibraryMissingException(string message) : base(message, "dlopen", 0) { }
}

/// <summary>No RDMA device is visible, or the one asked for is not among them.</summary>
public sealed class VerbsDeviceNotFoundException : VerbsException
{
    /// <summary>Creates the exception.</summary>
    public VerbsDeviceNotFoundException(string message, int errno) : base(message, "ibv_get_device_list", errno) { }
}

/// <summary>Opening a device was refused (EPERM/EACCES): the device cgroup or the node's permissions.</summary>
public sealed class VerbsPermissionException : VerbsException
{
    /// <summary>Creates the exception.</summary>
    public VerbsPermissionException(string message, string function, int errno) : base(message, function, errno) { }
}

/// <summary>Pinning memory failed (ENOMEM from ibv_reg_mr or ibv_create_cq), almost always RLIMIT_MEMLOCK.</summary>
public sealed class VerbsMemoryLockException : VerbsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The operator-facing sentence.</param>
    /// <param name="function">The C function that failed.</param>
    /// <param name="errno">The errno value.</param>
    /// <param name="memlockSoft">RLIMIT_MEMLOCK's soft limit when the failure happened, in bytes.</param>
    public VerbsMemoryLockException(string message, string function, int errno, ulong memlockSoft)
        : base(message, function, errno) => MemlockSoft = memlockSoft;

    /// <summary>RLIMIT_MEMLOCK's soft limit when the failure happened, in bytes (ulong.MaxValue: unlimited).</summary>
    public ulong MemlockSoft { get; }
}
