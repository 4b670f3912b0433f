using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NspawnNative.Interop.Config;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows;

/// <summary>
/// Plans taking back exactly what <see cref="RdmaEnable"/> changed, from its <see cref="RdmaEnableRecord"/>: a file
/// nobody touched since goes back to its content before enable, byte for byte (or away, when enable created it); a
/// file edited since loses only the entries enable added. Then daemon-reload, the record's removal, and a restart
/// of the machine when it runs. Without a record only our own drop-in is removed.
/// </summary>
/// <param name="paths">The roots.</param>
/// <param name="control">The host's machine1 and systemd1, or null to plan the files only (an offline root).</param>
/// <param name="logger">Debug logging; none when null.</param>
public sealed class RdmaDisable(HostPaths paths, MachineControl? control, ILogger? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    /// <summary>Builds the plan for <paramref name="machine"/>; nothing is changed until it is applied.</summary>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <param name="options">The choices.</param>
    /// <param name="cancellationToken">Cancels the D-Bus queries.</param>
    /// <returns>The plan, in the order its steps apply.</returns>
    /// <exception cref="InvalidInputException">The machine name is not valid.</exception>
    /// <exception cref="WorkflowException">The record cannot be read.</exception>
    /// <exception cref="ConfigFileException">A file cannot be read, or a file we did not write sits at our drop-in's path.</exception>
    public async Task<Plan> PlanAsync(string machine, RdmaDisableOptions options, CancellationToken cancellationToken)
    {
        MachineName.Validate(machine);
        var stored = RdmaEnableRecord.Read(paths, machine);
        var files = new List<FileStep>();
        if (stored is null)
        {
            _log.LogDebug("rdma disable {Machine}: no record, removing our drop-in only", machine);
            var dropIn = NspawnNativeDropIn.Load(paths, machine);
            files.Add(FileStep.Delete(paths, dropIn.Path, dropIn.Content));
        }
        else
        {
            // Latest first, so that a file is taken back in the reverse order of the changes.
            foreach (var recorded in stored.Value.Record.Files.Reverse())
            {
                if (Revert(recorded) is { } step)
                    files.Add(step);
            }
        }

        var steps = new List<PlanStep>(files);
        if (control is not null)
            steps.Add(new SystemdReloadStep(control.Systemd, RdmaEnable.UnitFilesChanged(files)));
        if (stored is not null)
            steps.Add(RecordStep.Remove(paths, machine, stored.Value.Text));
        if (control is not null)
        {
            var running = await control.IsRunningAsync(machine, cancellationToken).ConfigureAwait(false);
            steps.Add(new MachineRestartStep(control, machine, MachineControl.UnitFor(machine),
                running && options.Restart && files.Any(f => f.HasChanges), options.EffectiveRestartTimeout));
        }
        return new Plan($"rdma disable '{machine}'", steps);
    }

    /// <summary>The step that takes back one recorded file, or null when there is nothing to take back (it is gone).</summary>
    internal FileStep? Revert(RecordedFile recorded)
    {
        var current = AtomicFileWriter.ReadOrNull(paths.UnderRoot(recorded.Path));
        if (current is null)
            return null;
        if (RdmaEnableRecord.Hash(current) == recorded.WrittenSha256)
        {
            return recorded.Before is null
                ? FileStep.Delete(paths, recorded.Path, current)
                : FileStep.Write(paths, recorded.Path, current, recorded.Before);
        }

        // Edited since enable wrote it: take out only what enable added, keep everything else.
        // TODO (workflows): a value enable replaced (LimitMEMLOCK=64M became infinity) is removed, not set back; the
        // record would need the replaced assignments too.
        _log.LogDebug("rdma disable: '{Path}' changed since rdma enable, removing only the entries it added", recorded.Path);
        var doc = IniDocument.Parse(current, recorded.Path);
        foreach (var entry in recorded.Added)
            doc = doc.Remove(entry.Section, entry.Key, entry.Value);
        var remaining = doc.Render();
        return recorded.Before is null && !doc.Assignments.Any()
            ? FileStep.Delete(paths, recorded.Path, current)
            : FileStep.Write(paths, recorded.Path, current, remaining);
    }
}
