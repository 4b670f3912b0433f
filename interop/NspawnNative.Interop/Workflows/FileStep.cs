using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Workflows;

/// <summary>
/// Writes new content to a file, or deletes a file we own, atomically with a backup of the previous content
/// (see <see cref="AtomicFileWriter"/>). The content read when the plan was built is remembered: applying refuses if
/// the file changed on disk since.
/// </summary>
public sealed class FileStep : PlanStep
{
    private FileStep(string path, string hostPath, string? oldContent, string? newContent)
    {
        Path = path;
        HostPath = hostPath;
        OldContent = oldContent;
        NewContent = newContent;
    }

    /// <summary>The file as seen on the target system, for example <c>/etc/systemd/nspawn/a.nspawn</c>.</summary>
    public string Path { get; }

    /// <summary>The file to open here (under <see cref="HostPaths.Root"/>).</summary>
    public string HostPath { get; }

    /// <summary>The content read when the plan was built; null when the file did not exist.</summary>
    public string? OldContent { get; }

    /// <summary>The content to write; null to delete the file.</summary>
    public string? NewContent { get; }

    /// <summary>Plans writing <paramref name="newContent"/> to <paramref name="path"/>.</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="path">The absolute path on the target system.</param>
    /// <param name="oldContent">What the file holds now (as read for building the new content); null when absent.</param>
    /// <param name="newContent">The content to write.</param>
    public static FileStep Write(HostPaths paths, string path, string? oldContent, string newContent) =>
        new(path, paths.UnderRoot(path), oldContent, newContent);

    /// <summary>Plans deleting <paramref name="path"/>; no change when <paramref name="oldContent"/> is null.</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="path">The absolute path on the target system.</param>
    /// <param name="oldContent">What the file holds now; null when it does not exist.</param>
    public static FileStep Delete(HostPaths paths, string path, string? oldContent) =>
        new(path, paths.UnderRoot(path), oldContent, null);

    /// <inheritdoc />
    public override string Description => NewContent is null ? $"remove '{Path}'"
        : OldContent is null ? $"create '{Path}'" : $"edit '{Path}'";

    /// <inheritdoc />
    public override bool HasChanges => OldContent != NewContent;

    /// <inheritdoc />
    public override string Preview => UnifiedDiff.Render(Path, OldContent, NewContent);

    /// <inheritdoc />
    public override Task<string> ApplyAsync(CancellationToken cancellationToken)
    {
        if (NewContent is null)
        {
            AtomicFileWriter.Delete(HostPath, OldContent!);
            return Task.FromResult($"removed '{Path}' (previous content in '{AtomicFileWriter.BackupPathFor(Path)}')");
        }
        AtomicFileWriter.Write(HostPath, NewContent, OldContent);
        return Task.FromResult(OldContent is null ? $"created '{Path}'"
            : $"edited '{Path}' (previous content in '{AtomicFileWriter.BackupPathFor(Path)}')");
    }
}
