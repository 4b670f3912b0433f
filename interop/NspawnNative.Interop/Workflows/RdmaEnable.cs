using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NspawnNative.Interop.Config;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows;

/// <summary>
/// Plans taking a machine from "no RDMA" to "RDMA that works": the .nspawn profile and our unit drop-in (device rules,
/// LimitMEMLOCK=infinity) through <see cref="RdmaProfile"/>, daemon-reload, the container-side files through
/// <see cref="ContainerFiles"/> (DefaultLimitMEMLOCK, limits.d, TERM), a record of every change for
/// <see cref="RdmaDisable"/>, and a restart of the machine when it runs. Steps already in place plan nothing, so a
/// second enable is "nothing to change".
/// </summary>
/// <param name="paths">The roots.</param>
/// <param name="control">The host's machine1 and systemd1, or null to plan the files only (an offline root).</param>
/// <param name="logger">Debug logging; none when null.</param>
public sealed class RdmaEnable(HostPaths paths, MachineControl? control, ILogger? logger = null)
{
    /// <summary>The terminal type the TERM fix sets for <c>machinectl login</c>.</summary>
    public const string Term = "xterm-256color";

    private readonly ILogger _log = logger ?? NullLogger.Instance;

    /// <summary>Builds the plan for <paramref name="machine"/>; nothing is changed until it is applied.</summary>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <param name="options">The choices.</param>
    /// <param name="cancellationToken">Cancels the D-Bus queries.</param>
    /// <returns>The plan, in the order its steps apply.</returns>
    /// <exception cref="InvalidInputException">The machine name is not valid, or a named device does not exist.</exception>
    /// <exception cref="WorkflowException">The machine has no image, or the host has no RDMA device.</exception>
    /// <exception cref="ConfigFileException">A file cannot be read, or a file we did not write sits at our path.</exception>
    public async Task<Plan> PlanAsync(string machine, RdmaEnableOptions options, CancellationToken cancellationToken)
    {
        MachineName.Validate(machine);
        // The machine's root: machined's when it runs, else its directory image (one rule, the config area's).
        var root = ContainerFiles.MachineRoot(paths, machine);
        if (!Directory.Exists(root.Root))
            throw new WorkflowException($"Machine '{machine}' has no directory image '{TargetPath(root.Root)}'; import or create it first.");
        var image = TargetPath(root.Root);

        var selection = EnableDevices.Select(paths, options);
        _log.LogDebug("rdma enable {Machine}: rules {Rules}, host network {HostNetwork}", machine,
            string.Join(", ", selection.Rules), selection.HostNetwork);

        var profile = RdmaProfile.Plan(paths, machine,
            new RdmaProfileOptions(HostNetwork: selection.HostNetwork, Hugepages: null, PrivateUsersOff: false, DeviceAllow: selection.Rules));
        // The container's files are planned against its root, then named by their host paths, so that the plan and
        // the record say unambiguously which /etc is meant.
        var inside = ContainerFiles.PlanMemlock(root, machine, "infinity").Steps
            .Concat(ContainerFiles.PlanTerm(root, machine, Term).Steps)
            .Select(s => s is FileStep f ? FileStep.Write(paths, image + f.Path, f.OldContent, f.NewContent!) : s).ToList();
        var files = profile.Steps.Concat(inside).OfType<FileStep>().ToList();

        var steps = new List<PlanStep>(profile.Steps);
        steps.AddRange(inside);
        var changed = files.Any(f => f.HasChanges);
        if (control is not null)
            steps.Insert(profile.Steps.Count, new SystemdReloadStep(control.Systemd, UnitFilesChanged(profile.Steps)));
        var stored = RdmaEnableRecord.Read(paths, machine);
        var record = Merge(machine, stored?.Record, files);
        if (stored is not null || record.Files.Count > 0)
            steps.Add(RecordStep.Store(paths, record, stored?.Text));

        if (control is not null)
        {
            var running = await control.IsRunningAsync(machine, cancellationToken).ConfigureAwait(false);
            steps.Add(new MachineRestartStep(control, machine, MachineControl.UnitFor(machine), running && options.Restart && changed,
                options.EffectiveRestartTimeout));
        }
        return new Plan($"rdma enable '{machine}'", steps);
    }

    /// <summary>A path under <see cref="HostPaths.Root"/> as seen on the target system.</summary>
    private string TargetPath(string local) =>
        paths.IsLiveRoot ? local : local[paths.Root.TrimEnd('/').Length..];

    /// <summary>True when a step changes a host unit file or drop-in, which systemd sees only after a reload.</summary>
    internal static bool UnitFilesChanged(IEnumerable<PlanStep> steps) =>
        steps.OfType<FileStep>().Any(f => f.HasChanges && f.Path.StartsWith("/etc/systemd/system/", StringComparison.Ordinal));

    /// <summary>
    /// The record after this enable: files recorded before keep their first content; files this run changes for the
    /// first time are added with their current content; every changed file gets the hash of its new content and the
    /// INI entries this run adds to it.
    /// </summary>
    internal static RdmaEnableRecord Merge(string machine, RdmaEnableRecord? previous, IReadOnlyList<FileStep> files)
    {
        var result = new List<RecordedFile>(previous?.Files ?? []);
        foreach (var step in files.Where(f => f.HasChanges && f.NewContent is not null))
        {
            var target = step.Path;
            var added = AddedEntries(step.OldContent, step.NewContent!);
            var index = result.FindIndex(r => r.Path == target);
            if (index < 0)
            {
                result.Add(new RecordedFile(target, step.OldContent, RdmaEnableRecord.Hash(step.NewContent!), added));
                continue;
            }
            var old = result[index];
            result[index] = old with
            {
                WrittenSha256 = RdmaEnableRecord.Hash(step.NewContent!),
                Added = old.Added.Concat(added).Distinct().ToList(),
            };
        }
        return new RdmaEnableRecord(machine, result);
    }

    /// <summary>The assignments in <paramref name="newContent"/> that <paramref name="oldContent"/> lacks.</summary>
    internal static IReadOnlyList<RecordedEntry> AddedEntries(string? oldContent, string newContent)
    {
        static IEnumerable<RecordedEntry> Entries(string text) => IniDocument.Parse(text, "").Assignments
            .Where(e => e.Section is not null && e.Key is not null)
            .Select(e => new RecordedEntry(e.Section!, e.Key!, e.Value ?? ""));
        var before = oldContent is null ? [] : Entries(oldContent).ToHashSet();
        return Entries(newContent).Where(e => !before.Contains(e)).Distinct().ToList();
    }
}
