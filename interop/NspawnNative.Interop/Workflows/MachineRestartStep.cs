using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows;

/// <summary>
/// Restarts a running machine through its unit (systemd1 <c>RestartUnit</c>), waits for the job, then for machined
/// to list the machine as running again, so that the changes made before it take effect.
/// </summary>
/// <param name="control">The machine and unit proxies.</param>
/// <param name="machine">The machine name.</param>
/// <param name="unit">The machine's unit, for example <c>systemd-nspawn@node1.service</c>.</param>
/// <param name="needed">False when nothing changed or the machine does not run: kept in the plan, not applied.</param>
/// <param name="timeout">How long the job and the machine's return may take together.</param>
public sealed class MachineRestartStep(MachineControl control, string machine, string unit, bool needed, TimeSpan timeout) : PlanStep
{
    /// <summary>The machine this step restarts.</summary>
    public string Machine => machine;

    /// <inheritdoc />
    public override string Description => $"restart machine '{machine}'";

    /// <inheritdoc />
    public override bool HasChanges => needed;

    /// <inheritdoc />
    public override string Preview =>
        $"call {SystemdManager.Interface}.RestartUnit('{unit}', 'replace'), wait for the job, for machine '{machine}' and for its systemd\n";

    /// <inheritdoc />
    public override async Task<string> ApplyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var job = await control.Systemd.RunJobAsync(ct => control.Systemd.RestartUnitAsync(unit, "replace", ct), timeout,
            cancellationToken).ConfigureAwait(false);
        if (!job.Succeeded)
            throw new JobFailedException($"Restarting '{unit}' failed (job result '{job.Result}'); 'journalctl -u {unit}' says why.", job);

        // The job ends when nspawn reports ready; machined may still show the machine as opening for a moment, and
        // the container's own systemd answers its bus a little later still. Both are waited for, so that what runs
        // next (doctor, systemctl -M) finds the machine up.
        while (true)
        {
            if (await IsUpAsync(cancellationToken).ConfigureAwait(false) && await AnswersAsync(cancellationToken).ConfigureAwait(false))
                return $"restarted machine '{machine}'";
            if (DateTime.UtcNow > deadline)
                throw new JobTimeoutException($"Machine '{machine}' did not come back within {timeout.TotalSeconds:0} s after " +
                                              $"'{unit}' restarted; 'journalctl -u {unit}' says why.");
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when the container's systemd runs a command for machined (OpenMachineShell), as it must for
    /// machinectl shell and systemd-run -M.</summary>
    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            var shell = await control.Machines.OpenMachineShellAsync(machine, "root", ["/bin/true"], [], cancellationToken).ConfigureAwait(false);
            shell.Pty.Dispose();
            return true;
        }
        catch (SystemdException)
        {
            return false;
        }
    }

    private async Task<bool> IsUpAsync(CancellationToken cancellationToken)
    {
        if (!await control.IsRunningAsync(machine, cancellationToken).ConfigureAwait(false))
            return false;
        try
        {
            var proxy = await control.Machines.GetMachineProxyAsync(machine, cancellationToken).ConfigureAwait(false);
            var properties = await proxy.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            return properties.State == "running";
        }
        catch (NotFoundException)
        {
            // Gone between the two calls: it is still restarting.
            return false;
        }
    }
}
