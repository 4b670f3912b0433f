namespace NspawnNative.Interop.Workflows;

/// <summary>
/// One change a <see cref="Plan"/> makes. The type is open: a file step, a D-Bus call (daemon-reload, a unit
/// restart) or anything else derives from it and says what it would do (<see cref="Preview"/>) and does it
/// (<see cref="ApplyAsync"/>).
/// </summary>
public abstract class PlanStep
{
    /// <summary>One line for an operator, for example "write '/etc/systemd/nspawn/a.nspawn'".</summary>
    public abstract string Description { get; }

    /// <summary>False when applying the step would change nothing (the file already holds the content).</summary>
    public abstract bool HasChanges { get; }

    /// <summary>What applying would do, in detail: a unified diff for a file, the call for a D-Bus step.</summary>
    public abstract string Preview { get; }

    /// <summary>Makes the change.</summary>
    /// <param name="cancellationToken">Cancels a step that waits (a D-Bus job); file steps finish once started.</param>
    /// <returns>One line saying what changed.</returns>
    public abstract Task<string> ApplyAsync(CancellationToken cancellationToken);
}
