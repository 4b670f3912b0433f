namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>The outcome of one doctor check.</summary>
public enum CheckStatus
{
    /// <summary>All is well.</summary>
    Ok,

    /// <summary>Works, but something is likely to bite later.</summary>
    Warn,

    /// <summary>RDMA in the container does not work until this is fixed.</summary>
    Fail,

    /// <summary>The check did not apply (no machine given, no RDMA device, ...); the reason says why.</summary>
    Skipped,
}
