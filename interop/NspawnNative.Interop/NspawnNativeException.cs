namespace NspawnNative.Interop;

/// <summary>
/// The base of every exception the interop library throws on purpose. Its message is one sentence for an
/// operator: what failed, why, and, when known, what to do.
/// </summary>
public class NspawnNativeException : Exception
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public NspawnNativeException(string message) : base(message) { }

    /// <summary>Creates the exception with an operator-facing message and the failure that caused it.</summary>
    public NspawnNativeException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>Input given by the caller (a name, a path, a value) is not acceptable; nothing was changed.</summary>
public class InvalidInputException : NspawnNativeException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public InvalidInputException(string message) : base(message) { }
}
