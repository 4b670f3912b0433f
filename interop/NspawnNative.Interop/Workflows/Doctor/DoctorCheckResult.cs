namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>One finding of a doctor check.</summary>
/// <param name="Check">The check's name with the subject, for example <c>userspace.provider rxe</c>.</param>
/// <param name="Status">The outcome.</param>
/// <param name="Reason">One sentence: what was found and why it matters.</param>
/// <param name="Fix">One sentence: what to do, or null when there is nothing to do.</param>
public sealed record DoctorCheckResult(string Check, CheckStatus Status, string Reason, string? Fix);
