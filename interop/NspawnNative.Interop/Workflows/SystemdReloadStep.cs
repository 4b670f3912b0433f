using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows;

/// <summary>systemd1 <c>Reload()</c> (daemon-reload), so that a unit sees the drop-ins a plan wrote before it.</summary>
/// <param name="manager">The host's systemd manager.</param>
/// <param name="needed">False when no unit file changed: the step is kept in the plan but not applied.</param>
public sealed class SystemdReloadStep(SystemdManager manager, bool needed) : PlanStep
{
    /// <inheritdoc />
    public override string Description => "reload systemd's unit files (daemon-reload)";

    /// <inheritdoc />
    public override bool HasChanges => needed;

    /// <inheritdoc />
    public override string Preview => $"call {SystemdManager.Interface}.Reload() on {SystemdManager.ObjectPath}\n";

    /// <inheritdoc />
    public override async Task<string> ApplyAsync(CancellationToken cancellationToken)
    {
        await manager.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return "reloaded systemd's unit files";
    }
}
