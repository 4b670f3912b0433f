using System.Globalization;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>Sizes, timestamps and booleans as machinectl prints and parses them for images.</summary>
internal static class ImageFormat
{
    private static readonly (string Suffix, ulong Factor)[] Iec =
    [
        ("E", 1UL << 60), ("P", 1UL << 50), ("T", 1UL << 40), ("G", 1UL << 30), ("M", 1UL << 20), ("K", 1UL << 10),
    ];

    /// <summary>systemd's format_bytes: base 1024, one decimal, "B" below 1 KiB; null for UINT64_MAX.</summary>
    public static string? Bytes(ulong bytes)
    {
        if (bytes == ulong.MaxValue)
            return null;
        for (int i = 0; i < Iec.Length; i++)
        {
            var (suffix, factor) = Iec[i];
            if (bytes < factor)
                continue;
            ulong tenth = i != Iec.Length - 1
                ? bytes / Iec[i + 1].Factor * 10 / 1024 % 10
                : bytes * 10 / 1024 % 10;
            return $"{bytes / factor}.{tenth}{suffix}";
        }
        return $"{bytes}B";
    }

    /// <summary>A timestamp in microseconds since the epoch as "Fri 2026-12-04 07:00:00 UTC", local time; null
    /// when unset (0 or UINT64_MAX).</summary>
    public static string? Timestamp(ulong usec)
    {
        if (usec == 0 || usec == ulong.MaxValue)
            return null;
        var utc = DateTimeOffset.FromUnixTimeMilliseconds((long)(usec / 1000));
        var zone = TimeZoneInfo.Local;
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        var abbreviation = zone.IsDaylightSavingTime(local) ? zone.DaylightName : zone.StandardName;
        // Without ICU .NET names zones by their tzdata abbreviation; a long name means it had none to give.
        // TODO (dbus): read the abbreviation from the TZif file when .NET offers a display name instead.
        if (abbreviation.Length == 0 || abbreviation.Contains(' '))
            abbreviation = local.Offset == TimeSpan.Zero ? "UTC" : local.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "");
        return local.ToString("ddd yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + abbreviation;
    }

    /// <summary>systemd's parse_size with base 1024 (K, M, G, T, P, E; optional "B"), or "-", "none", "infinity"
    /// for no limit (UINT64_MAX).</summary>
    public static bool TryParseSize(string text, out ulong bytes)
    {
        bytes = 0;
        var s = text.Trim();
        if (s is "-" or "none" or "infinity")
        {
            bytes = ulong.MaxValue;
            return true;
        }
        if (s.EndsWith('B') && s.Length > 1 && !char.IsDigit(s[^2]))
            s = s[..^1];
        ulong factor = 1;
        if (s.Length > 0 && char.IsLetter(s[^1]))
        {
            var suffix = char.ToUpperInvariant(s[^1]).ToString();
            var match = Array.Find(Iec, e => e.Suffix == suffix);
            if (match.Suffix is null)
                return false;
            factor = match.Factor;
            s = s[..^1];
        }
        else if (s.EndsWith('B'))
        {
            s = s[..^1];
        }
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number < 0)
            return false;
        var total = number * factor;
        if (total >= ulong.MaxValue)
            return false;
        bytes = (ulong)total;
        return true;
    }

    /// <summary>systemd's parse_boolean.</summary>
    public static bool? ParseBoolean(string text) => text.ToLowerInvariant() switch
    {
        "1" or "yes" or "y" or "true" or "t" or "on" => true,
        "0" or "no" or "n" or "false" or "f" or "off" => false,
        _ => null,
    };

    public static string YesNo(bool value) => value ? "yes" : "no";
}
