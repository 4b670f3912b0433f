namespace NspawnNative.Interop.Systemd;

/// <summary>A call to systemd, machined or importd failed.</summary>
public class SystemdException : NspawnNativeException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public SystemdException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>No bus answers at the address (no systemd here, a wrong --bus, a closed connection).</summary>
public sealed class BusUnavailableException : SystemdException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public BusUnavailableException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>The service (machined, importd) is not installed or not activatable on this bus.</summary>
public sealed class ServiceMissingException : SystemdException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public ServiceMissingException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>The machine, image, unit, job or transfer named does not exist.</summary>
public sealed class NotFoundException : SystemdException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public NotFoundException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>The caller may not do this (not root, polkit said no).</summary>
public sealed class AccessDeniedException : SystemdException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public AccessDeniedException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>Any other error reply; <see cref="ErrorName"/> is the D-Bus error name.</summary>
public sealed class SystemdCallException : SystemdException
{
    /// <summary>Creates the exception with an operator-facing message and the D-Bus error name.</summary>
    public SystemdCallException(string message, string errorName, Exception? innerException = null) : base(message, innerException) =>
        ErrorName = errorName;

    /// <summary>The D-Bus error name, for example <c>org.freedesktop.DBus.Error.PropertyReadOnly</c>.</summary>
    public string ErrorName { get; }
}

/// <summary>A job or a wait for a machine did not finish in the time given.</summary>
public sealed class JobTimeoutException : SystemdException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public JobTimeoutException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>A job ended in something else than "done"; <see cref="Result"/> says how.</summary>
public sealed class JobFailedException : SystemdException
{
    /// <summary>Creates the exception with an operator-facing message and the job's result.</summary>
    public JobFailedException(string message, JobResult result) : base(message) => Result = result;

    /// <summary>How the job ended.</summary>
    public JobResult Result { get; }
}
