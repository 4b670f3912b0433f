using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Workflows;

/// <summary>
/// Writes or removes the <see cref="RdmaEnableRecord"/> of a machine. Its preview is one line: the record holds
/// earlier file contents, which the file steps of the same plan already show as diffs.
/// </summary>
public sealed class RecordStep : PlanStep
{
    private readonly FileStep _file;

    private RecordStep(FileStep file) => _file = file;

    /// <summary>Plans storing <paramref name="record"/>; no change when the stored text is the same.</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="record">The record to store.</param>
    /// <param name="storedText">The record's current text; null when there is none.</param>
    /// <returns>The step.</returns>
    public static RecordStep Store(HostPaths paths, RdmaEnableRecord record, string? storedText) =>
        new(FileStep.Write(paths, RdmaEnableRecord.PathFor(record.Machine), storedText, record.ToJson()));

    /// <summary>Plans removing the record of <paramref name="machine"/>; no change when there is none.</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="machine">The machine name.</param>
    /// <param name="storedText">The record's current text; null when there is none.</param>
    /// <returns>The step.</returns>
    public static RecordStep Remove(HostPaths paths, string machine, string? storedText) =>
        new(FileStep.Delete(paths, RdmaEnableRecord.PathFor(machine), storedText));

    /// <summary>The record file on the target system.</summary>
    public string Path => _file.Path;

    /// <inheritdoc />
    public override string Description => _file.NewContent is null
        ? $"remove the record '{_file.Path}'"
        : $"record what changed in '{_file.Path}'";

    /// <inheritdoc />
    public override bool HasChanges => _file.HasChanges;

    /// <inheritdoc />
    public override string Preview => "";

    /// <inheritdoc />
    public override async Task<string> ApplyAsync(CancellationToken cancellationToken)
    {
        if (_file.NewContent is null)
        {
            // The record's backup is of no use once disable has run: nothing refers to it.
            await _file.ApplyAsync(cancellationToken).ConfigureAwait(false);
            File.Delete(AtomicFileWriter.BackupPathFor(_file.HostPath));
            return $"removed the record '{_file.Path}'";
        }
        await _file.ApplyAsync(cancellationToken).ConfigureAwait(false);
        return $"recorded what changed in '{_file.Path}'";
    }
}
