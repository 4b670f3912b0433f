namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>
/// A doctor check that judges facts gathered once for the run (<see cref="DoctorFacts"/>). Each derived check looks at
/// one link of the chain and says what it verified, whatever the verdict.
/// </summary>
internal abstract class FactsCheck(DoctorFacts facts, string name) : IDoctorCheck
{
    protected DoctorFacts Facts { get; } = facts;

    public string Name { get; } = name;

    public async Task<IReadOnlyList<DoctorCheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken) =>
        [await RunAsync(cancellationToken).ConfigureAwait(false)];

    protected abstract Task<DoctorCheckResult> RunAsync(CancellationToken cancellationToken);

    protected DoctorCheckResult Ok(string reason) => new(Name, CheckStatus.Ok, reason, null);

    protected DoctorCheckResult Warn(string reason, string? fix = null) => new(Name, CheckStatus.Warn, reason, fix);

    protected DoctorCheckResult Fail(string reason, string fix) => new(Name, CheckStatus.Fail, reason, fix);

    protected DoctorCheckResult Skip(string reason) => new(Name, CheckStatus.Skipped, reason, null);

    /// <summary>Skipped because a fact could not be read: the check cannot verify anything.</summary>
    protected DoctorCheckResult Unverified(string fact) =>
        Skip($"not verified: {Facts.Problem(fact) ?? fact + " unknown"}");

    /// <summary>The machine's name; only for checks that run when a machine was named.</summary>
    protected string Machine => Facts.Machine!;

    /// <summary>The trusted .nspawn path every fix names: the file nspawn reads first and fully honours.</summary>
    protected string TrustedNspawnPath => $"/etc/systemd/nspawn/{Machine}.nspawn";

    /// <summary>Our drop-in, where fixes put unit settings.</summary>
    protected string DropInPath => Config.NspawnNativeDropIn.PathFor(Machine);
}
