namespace NspawnNative.Interop.Workflows;

/// <summary>A workflow (<see cref="RdmaEnable"/>, <see cref="RdmaDisable"/>) could not be planned or applied.</summary>
public class WorkflowException : NspawnNativeException
{
    /// <summary>Creates the exception with its one-sentence message.</summary>
    /// <param name="message">What failed, why, and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public WorkflowException(string message, Exception? innerException = null) : base(message, innerException) { }
}
