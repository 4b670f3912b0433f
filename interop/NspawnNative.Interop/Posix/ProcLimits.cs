using System.Globalization;

namespace NspawnNative.Interop.Posix;

/// <summary>Reads one line of <c>/proc/PID/limits</c> ("Max locked memory  8388608  8388608  bytes").</summary>
public static class ProcLimits
{
    /// <summary>Finds the limit named <paramref name="limit"/>; "unlimited" becomes
    /// <see cref="ResourceLimits.Infinity"/>.</summary>
    /// <param name="text">The whole file.</param>
    /// <param name="limit">The first column, for example "Max locked memory".</param>
    /// <returns>The soft and hard values, or null when the line is missing or malformed.</returns>
    public static ResourceLimit? Parse(string text, string limit)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(limit, StringComparison.Ordinal) || line.Length <= limit.Length || line[limit.Length] != ' ')
                continue;
            var fields = line[limit.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && Value(fields[0]) is { } soft && Value(fields[1]) is { } hard)
                return new ResourceLimit(soft, hard);
            return null;
        }
        return null;
    }

    private static ulong? Value(string s) =>
        s == "unlimited" ? ResourceLimits.Infinity : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
