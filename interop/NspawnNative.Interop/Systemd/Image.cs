using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>One row of machined's image listing (<c>ListImages</c>), as <c>machinectl list-images</c> shows it.</summary>
/// <param name="Name">The image name.</param>
/// <param name="Type">"directory", "subvolume", "raw" or "block".</param>
/// <param name="ReadOnly">True when the image is read-only.</param>
/// <param name="CreationTimestamp">Creation time in microseconds since the epoch; 0 when unknown.</param>
/// <param name="ModificationTimestamp">Modification time in microseconds since the epoch; 0 when unknown.</param>
/// <param name="Usage">Disk usage in bytes; <see cref="Image.Unknown"/> when the file system cannot say.</param>
/// <param name="ObjectPath">machined's object path for the image.</param>
public sealed record ImageSummary(string Name, string Type, bool ReadOnly, ulong CreationTimestamp, ulong ModificationTimestamp,
    ulong Usage, string ObjectPath)
{
    /// <summary>True for hidden images (names starting with '.'), which <c>clean</c> removes by default.</summary>
    public bool IsHidden => Name.StartsWith('.');
}

/// <summary>The properties of an org.freedesktop.machine1.Image object (<c>machinectl image-status</c>).</summary>
/// <param name="Name">The image name.</param>
/// <param name="Path">Where the image lives on the host, for example <c>/var/lib/machines/web</c>.</param>
/// <param name="Type">"directory", "subvolume", "raw" or "block".</param>
/// <param name="ReadOnly">True when the image is read-only.</param>
/// <param name="CreationTimestamp">Creation time in microseconds since the epoch; 0 when unknown.</param>
/// <param name="ModificationTimestamp">Modification time in microseconds since the epoch; 0 when unknown.</param>
/// <param name="Usage">Disk usage in bytes, or <see cref="Unknown"/>.</param>
/// <param name="Limit">Size limit in bytes, or <see cref="Unknown"/>.</param>
/// <param name="UsageExclusive">Bytes used by this image alone (btrfs), or <see cref="Unknown"/>.</param>
/// <param name="LimitExclusive">Exclusive size limit in bytes, or <see cref="Unknown"/>.</param>
public sealed record Image(string Name, string Path, string Type, bool ReadOnly, ulong CreationTimestamp,
    ulong ModificationTimestamp, ulong Usage, ulong Limit, ulong UsageExclusive, ulong LimitExclusive)
{
    /// <summary>The value machined reports for a size it does not know (UINT64_MAX).</summary>
    public const ulong Unknown = ulong.MaxValue;

    internal static Image FromProperties(Dictionary<string, VariantValue> p) => new(
        Str(p, "Name"), Str(p, "Path"), Str(p, "Type"),
        p.TryGetValue("ReadOnly", out var ro) && ro.GetBool(),
        U64(p, "CreationTimestamp", 0), U64(p, "ModificationTimestamp", 0),
        U64(p, "Usage", Unknown), U64(p, "Limit", Unknown), U64(p, "UsageExclusive", Unknown), U64(p, "LimitExclusive", Unknown));

    private static string Str(Dictionary<string, VariantValue> p, string key) => p.TryGetValue(key, out var v) ? v.GetString() : "";

    private static ulong U64(Dictionary<string, VariantValue> p, string key, ulong fallback) =>
        p.TryGetValue(key, out var v) ? v.GetUInt64() : fallback;
}

/// <summary>An image removed by <c>CleanPool</c>.</summary>
/// <param name="Name">The image name.</param>
/// <param name="FreedBytes">Exclusive disk space freed, or <see cref="Image.Unknown"/>.</param>
public sealed record CleanedImage(string Name, ulong FreedBytes);

/// <summary>Which images <c>CleanPool</c> removes.</summary>
public enum CleanMode
{
    /// <summary>Only hidden images (names starting with '.', such as pull caches).</summary>
    Hidden,

    /// <summary>Every image in the pool that is not in use.</summary>
    All,
}
