using NspawnNative.Interop.Posix;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// What <c>machinectl</c> does with a machine's lifecycle, composed from machine1 and systemd1: start with the
/// job's result and machined's registration, poweroff and reboot by signal, enable and disable at boot, and the
/// memlock limit the unit and its leader really have.
/// </summary>
public sealed class MachineControl
{
    private readonly ILogger _log;

    /// <summary>Creates the composition on one connection.</summary>
    /// <param name="bus">The connection.</param>
    /// <param name="logger">Debug messages; none by default.</param>
    public MachineControl(SystemdBus bus, ILogger? logger = null)
    {
        Machines = new MachineManager(bus);
        Systemd = new SystemdManager(bus);
        _log = logger ?? NullLogger.Instance;
    }

    /// <summary>The machined proxy.</summary>
    public MachineManager Machines { get; }

    /// <summary>The systemd proxy.</summary>
    public SystemdManager Systemd { get; }

    /// <summary>The unit machinectl starts a machine image with: <c>systemd-nspawn@NAME.service</c>.</summary>
    /// <param name="name">The machine name.</param>
    public static string UnitFor(string name) => $"systemd-nspawn@{MachineName.Validate(name)}.service";

    /// <summary>
    /// Starts a machine from its image (StartUnit of <see cref="UnitFor"/>, mode "fail") and waits for the job's
    /// result, then until machined lists the machine.
    /// </summary>
    /// <param name="name">The machine (image) name.</param>
    /// <param name="timeout">How long to wait for the job and for the registration, each.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The start job's result (always successful: a failed job throws).</returns>
    /// <exception cref="JobFailedException">The start job ended in something else than "done".</exception>
    /// <exception cref="JobTimeoutException">The job or the registration took longer than the time-out.</exception>
    public async Task<JobResult> StartAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // TODO (dbus): machinectl checks the image with GetImage first; here a missing image shows as the job
        // result 'failed', which is less direct.
        var unit = UnitFor(name);
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = await Machines.WatchMachinesAsync((n, isNew) =>
        {
            if (isNew && n == name)
                registered.TrySetResult();
        }, cancellationToken).ConfigureAwait(false);

        var result = await Systemd.RunJobAsync(ct => Systemd.StartUnitAsync(unit, "fail", ct), timeout, cancellationToken).ConfigureAwait(false);
        _log.LogDebug("Start job of {Unit} ended: {Result}", unit, result.Result);
        if (!result.Succeeded)
            throw new JobFailedException($"Starting '{unit}' failed (job result '{result.Result}'); 'journalctl -u {unit}' says why.", result);

        await WaitUntilAsync(async ct => await IsRunningAsync(name, ct).ConfigureAwait(false), registered.Task, timeout,
            $"Machine '{name}' did not register with machined within {timeout.TotalSeconds:0} s after '{unit}' started; 'unit show {unit}' tells what it is doing.",
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Asks a machine's init to power off (SIGRTMIN+4 to the leader, as machinectl does) and, unless
    /// <paramref name="timeout"/> is null, waits until machined no longer lists it.
    /// </summary>
    /// <param name="name">The machine name.</param>
    /// <param name="timeout">How long to wait for the machine to go; null to return at once.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task PowerOffAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = await Machines.WatchMachinesAsync((n, isNew) =>
        {
            if (!isNew && n == name)
                gone.TrySetResult();
        }, cancellationToken).ConfigureAwait(false);
        await Machines.KillMachineAsync(name, KillWhom.Leader, MachineManager.PowerOffSignal, cancellationToken).ConfigureAwait(false);
        if (timeout is null)
            return;
        await WaitUntilAsync(async ct => !await IsRunningAsync(name, ct).ConfigureAwait(false), gone.Task, timeout.Value,
            $"Machine '{name}' was asked to power off but still runs after {timeout.Value.TotalSeconds:0} s; 'terminate {name}' stops it at once.",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks a machine's init to reboot (SIGINT to the leader, as machinectl does).</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task RebootAsync(string name, CancellationToken cancellationToken) =>
        Machines.KillMachineAsync(name, KillWhom.Leader, MachineManager.RebootSignal, cancellationToken);

    /// <summary>True while machined lists the machine.</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task<bool> IsRunningAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await Machines.GetMachineAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }

    /// <summary>Starts a machine at boot: enables <see cref="UnitFor"/> and machines.target, then reloads.</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The symlinks created.</returns>
    public async Task<IReadOnlyList<UnitFileChange>> EnableAsync(string name, CancellationToken cancellationToken)
    {
        var changes = await Systemd.EnableUnitFilesAsync(["machines.target", UnitFor(name)], runtime: false, force: false, cancellationToken)
            .ConfigureAwait(false);
        await Systemd.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return changes;
    }

    /// <summary>No longer starts a machine at boot: disables <see cref="UnitFor"/>, then reloads.</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The symlinks removed.</returns>
    public async Task<IReadOnlyList<UnitFileChange>> DisableAsync(string name, CancellationToken cancellationToken)
    {
        var changes = await Systemd.DisableUnitFilesAsync([UnitFor(name)], runtime: false, cancellationToken).ConfigureAwait(false);
        await Systemd.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return changes;
    }

    /// <summary>
    /// The memlock limit of a machine: the unit's LimitMEMLOCK, and when the machine runs, "Max locked memory" of
    /// its leader from <c>/proc/LEADER/limits</c> (under <paramref name="paths"/>' root).
    /// </summary>
    /// <param name="name">The machine name.</param>
    /// <param name="paths">Where /proc is read.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task<MemlockReport> GetMemlockAsync(string name, HostPaths paths, CancellationToken cancellationToken)
    {
        var unitName = UnitFor(name);
        var unit = await Systemd.GetUnitProxyAsync(unitName, cancellationToken).ConfigureAwait(false);
        var service = await unit.GetServicePropertiesAsync(cancellationToken).ConfigureAwait(false);

        uint leader = 0;
        try
        {
            var machine = await Machines.GetMachineProxyAsync(name, cancellationToken).ConfigureAwait(false);
            leader = (await machine.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Leader;
        }
        catch (NotFoundException)
        {
            _log.LogDebug("Machine {Name} is not running: no leader limit", name);
        }
        ResourceLimit? leaderLimit = null;
        if (leader != 0)
        {
            var file = paths.UnderRoot($"/proc/{leader}/limits");
            string text;
            try
            {
                text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new SystemdException($"Cannot read '{file}' of the leader of machine '{name}': {e.Message.TrimEnd('.')}; run as root.", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new SystemdException($"Cannot read '{file}' of the leader of machine '{name}': permission denied; run as root.", e);
            }
            leaderLimit = ProcLimits.Parse(text, "Max locked memory")
                ?? throw new SystemdException($"'{file}' has no 'Max locked memory' line; is /proc mounted there?");
        }
        return new MemlockReport(unitName, service.LimitMemlock, leader, leaderLimit);
    }

    private static async Task WaitUntilAsync(Func<CancellationToken, Task<bool>> check, Task signalled, TimeSpan timeout, string timeoutMessage,
        CancellationToken cancellationToken)
    {
        // The signal ends the wait early; the periodic check covers a signal sent before the watch (or lost).
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (!await check(cts.Token).ConfigureAwait(false))
                await Task.WhenAny(signalled, Task.Delay(TimeSpan.FromMilliseconds(500), cts.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JobTimeoutException(timeoutMessage, e);
        }
    }
}
