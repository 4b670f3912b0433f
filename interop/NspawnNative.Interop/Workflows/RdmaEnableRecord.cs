using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NspawnNative.Interop.Workflows;

/// <summary>
/// What <see cref="RdmaEnable"/> changed for one machine, kept on the host so that <see cref="RdmaDisable"/> takes back
/// exactly that: each file with its content before the first enable and a hash of what enable last wrote.
/// </summary>
/// <param name="Machine">The machine name.</param>
/// <param name="Files">One entry per file enable changed, in the order it changed them.</param>
public sealed record RdmaEnableRecord(string Machine, IReadOnlyList<RecordedFile> Files)
{
    /// <summary>Where the record of <paramref name="machine"/> lives on the target system.</summary>
    /// <param name="machine">A validated machine name.</param>
    /// <returns>An absolute path under /var/lib/nspawn-native/rdma.</returns>
    public static string PathFor(string machine) => $"/var/lib/nspawn-native/rdma/{MachineName.Validate(machine)}.json";

    /// <summary>Reads the record of <paramref name="machine"/>; null when enable never ran for it.</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="machine">The machine name.</param>
    /// <returns>The record and the text it was read from, or null.</returns>
    /// <exception cref="WorkflowException">The file exists but is not a record.</exception>
    public static (RdmaEnableRecord Record, string Text)? Read(HostPaths paths, string machine)
    {
        var path = PathFor(machine);
        string text;
        try
        {
            text = File.ReadAllText(paths.UnderRoot(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            var record = JsonSerializer.Deserialize(text, WorkflowsJsonContext.Default.RdmaEnableRecord);
            if (record is null || record.Machine != machine)
                throw new JsonException("another machine's record");
            return (record, text);
        }
        catch (JsonException e)
        {
            throw new WorkflowException($"The record of what 'rdma enable' changed, '{path}', cannot be read ({e.Message}); " +
                                        "remove it and take the changes back by hand from the '*.nspawn-native.bak' backups.", e);
        }
    }

    /// <summary>The record as the JSON text stored on disk.</summary>
    /// <returns>Indented JSON ending with a newline.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, WorkflowsJsonContext.Default.RdmaEnableRecord) + "\n";

    /// <summary>The hash stored in <see cref="RecordedFile.WrittenSha256"/> for a content.</summary>
    /// <param name="content">File text.</param>
    /// <returns>Lower-case hex SHA-256 of its UTF-8 bytes.</returns>
    public static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}

/// <summary>One file <see cref="RdmaEnable"/> changed.</summary>
/// <param name="Path">The file as seen on the target system.</param>
/// <param name="Before">Its content before the first enable; null when enable created it.</param>
/// <param name="WrittenSha256">The hash of the content enable wrote last (see <see cref="RdmaEnableRecord.Hash"/>).</param>
/// <param name="Added">The INI entries enable added to it, so that they can be taken out of a file edited since.</param>
public sealed record RecordedFile(string Path, string? Before, string WrittenSha256, IReadOnlyList<RecordedEntry> Added);

/// <summary>One <c>Key=Value</c> line enable added to a section of an INI file.</summary>
/// <param name="Section">The section name, without brackets.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The value.</param>
public sealed record RecordedEntry(string Section, string Key, string Value);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RdmaEnableRecord))]
internal sealed partial class WorkflowsJsonContext : JsonSerializerContext;
