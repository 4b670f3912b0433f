namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>
/// One small, independent, named doctor check. It reads, never changes anything, and reports what it found as
/// results rather than throwing for what it examines (an absent file is a finding, not an error).
/// </summary>
public interface IDoctorCheck
{
    /// <summary>The check's short name, the prefix of its results' <see cref="DoctorCheckResult.Check"/>.</summary>
    string Name { get; }

    /// <summary>Runs the check.</summary>
    /// <param name="context">What to examine.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>One or more results.</returns>
    Task<IReadOnlyList<DoctorCheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken);
}
