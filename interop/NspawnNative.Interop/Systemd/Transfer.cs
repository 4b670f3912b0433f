using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>A transfer importd has started: its id and object path (the reply of ImportTar, PullTar, ...).</summary>
/// <param name="Id">The transfer id, as <c>list-transfers</c> and <c>cancel-transfer</c> use it.</param>
/// <param name="ObjectPath">The org.freedesktop.import1.Transfer object.</param>
public sealed record TransferStarted(uint Id, string ObjectPath);

/// <summary>One row of importd's transfer listing (<c>ListTransfers</c>).</summary>
/// <param name="Id">The transfer id.</param>
/// <param name="Type">"import-tar", "import-raw", "import-fs", "export-tar", "export-raw", "pull-tar" or "pull-raw".</param>
/// <param name="Remote">The URL or source ("" for local imports and exports).</param>
/// <param name="Local">The image name.</param>
/// <param name="Progress">Progress from 0 to 1, or null when importd does not know yet.</param>
/// <param name="ObjectPath">The transfer object.</param>
public sealed record TransferSummary(uint Id, string Type, string Remote, string Local, double? Progress, string ObjectPath);

/// <summary>The properties of an org.freedesktop.import1.Transfer object.</summary>
/// <param name="Id">The transfer id.</param>
/// <param name="Local">The image name.</param>
/// <param name="Remote">The URL or source.</param>
/// <param name="Type">The transfer type, for example "pull-tar".</param>
/// <param name="Verify">The verification mode of a pull ("no", "checksum", "signature"), else "".</param>
/// <param name="Progress">Progress from 0 to 1, or null when unknown.</param>
public sealed record Transfer(uint Id, string Local, string Remote, string Type, string Verify, double? Progress)
{
    /// <summary>The interface of transfer objects.</summary>
    public const string Interface = "org.freedesktop.import1.Transfer";

    internal static Transfer FromProperties(Dictionary<string, VariantValue> p) => new(
        p.TryGetValue("Id", out var id) ? id.GetUInt32() : 0,
        Str(p, "Local"), Str(p, "Remote"), Str(p, "Type"), Str(p, "Verify"),
        p.TryGetValue("Progress", out var progress) ? Transfer.ProgressOf(progress.GetDouble()) : null);

    /// <summary>importd reports an unknown progress as -DBL_MAX; anything outside 0..1 is unknown here.</summary>
    internal static double? ProgressOf(double value) => value is >= 0 and <= 1 ? value : null;

    private static string Str(Dictionary<string, VariantValue> p, string key) => p.TryGetValue(key, out var v) ? v.GetString() : "";
}

/// <summary>The signal importd sends when a transfer ends (<c>TransferRemoved</c>).</summary>
/// <param name="Id">The transfer id.</param>
/// <param name="ObjectPath">The transfer object, gone by now.</param>
/// <param name="Result">"done", "failed" or "canceled".</param>
public sealed record TransferRemoved(uint Id, string ObjectPath, string Result);

/// <summary>How a transfer we waited for ended.</summary>
/// <param name="Id">The transfer id.</param>
/// <param name="Result">"done", "failed" or "canceled".</param>
/// <param name="Log">The lines importd's worker logged for this transfer (LogMessage signals), oldest first.</param>
public sealed record TransferOutcome(uint Id, string Result, IReadOnlyList<string> Log)
{
    /// <summary>True when the transfer finished successfully.</summary>
    public bool Succeeded => Result == "done";
}

/// <summary>How importd verifies a pulled image.</summary>
public enum PullVerify
{
    /// <summary>No verification (the only mode for a plain HTTP server without SHA256SUMS).</summary>
    No,

    /// <summary>Check the SHA256SUMS file next to the image.</summary>
    Checksum,

    /// <summary>Check SHA256SUMS and its GPG signature (importd's default).</summary>
    Signature,
}

/// <summary>The compression of an exported tarball or raw image.</summary>
public enum ExportFormat
{
    /// <summary>importd's choice (uncompressed).</summary>
    Default,

    /// <summary>No compression.</summary>
    Uncompressed,

    /// <summary>xz.</summary>
    Xz,

    /// <summary>gzip.</summary>
    Gzip,

    /// <summary>bzip2.</summary>
    Bzip2,

    /// <summary>zstd (newer systemd only; systemd 252 refuses it).</summary>
    Zstd,
}
