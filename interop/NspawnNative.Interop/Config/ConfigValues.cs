using System.Globalization;

namespace NspawnNative.Interop.Config;

/// <summary>
/// Readers for the value syntaxes systemd shares between unit files and .nspawn files. Each returns null when the
/// value is fine, or the reason it is not (a sentence fragment for a diagnostic).
/// </summary>
public static class ConfigValues
{
    /// <summary>UINT64_MAX, which systemd uses for "infinity".</summary>
    public const ulong Infinity = ulong.MaxValue;

    private static readonly string[] Capabilities =
        ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
         "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
         "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
         "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
         "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
         "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
         "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"];

    private static readonly string[] Signals =
        ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
         "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
         "WINCH", "IO", "POLL", "PWR", "SYS", "IOT"];

    private const int SigRtMin = 34;
    private const int SigRtMax = 64;

    /// <summary>Reads a systemd boolean.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The boolean, or null when the text is not one.</returns>
    public static bool? ParseBoolean(string value) => value.ToLowerInvariant() switch
    {
        "1" or "yes" or "y" or "true" or "t" or "on" => true,
        "0" or "no" or "n" or "false" or "f" or "off" => false,
        _ => null,
    };

    /// <summary>Checks a boolean.</summary>
    /// <param name="value">The text.</param>
    public static string? CheckBoolean(string value) =>
        ParseBoolean(value) is null ? $"'{value}' is not a boolean (use yes or no)" : null;

    /// <summary>Checks a blank-separated list of capability names, or <c>all</c>.</summary>
    /// <param name="value">The text.</param>
    public static string? CheckCapabilities(string value)
    {
        foreach (var word in Words(value))
        {
            if (word == "all")
                continue;
            if (!Capabilities.Contains(word.ToUpperInvariant()))
                return $"'{word}' is not a capability name (for example CAP_IPC_LOCK)";
        }
        return null;
    }

    /// <summary>Reads one side of a resource limit: a number, <c>infinity</c>, or a size with a K/M/G/T/P/E
    /// suffix (base 1024).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value (<see cref="Infinity"/> for infinity), or null when it is not one.</returns>
    public static ulong? ParseLimitValue(string text)
    {
        if (text == "infinity")
            return Infinity;
        if (text.Length == 0)
            return null;
        int shift = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, 'P' => 50, 'E' => 60, _ => 0,
        };
        var digits = shift == 0 ? text : text[..^1];
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return null;
        if (shift > 0 && n > (ulong.MaxValue >> shift))
            return null;
        return n << shift;
    }

    /// <summary>Reads a resource limit: <c>VALUE</c> or <c>SOFT:HARD</c>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The soft and hard limits, or null when the text is not a limit.</returns>
    public static (ulong Soft, ulong Hard)? ParseLimit(string value)
    {
        int colon = value.IndexOf(':');
        if (colon < 0)
            return ParseLimitValue(value) is { } both ? (both, both) : null;
        var soft = ParseLimitValue(value[..colon]);
        var hard = ParseLimitValue(value[(colon + 1)..]);
        if (soft is null || hard is null)
            return null;
        return (soft.Value, hard.Value);
    }

    /// <summary>Checks a resource limit.</summary>
    /// <param name="value">The text.</param>
    public static string? CheckLimit(string value)
    {
        var limit = ParseLimit(value);
        if (limit is null)
            return $"'{value}' is not a limit (use VALUE or SOFT:HARD, a number, a size with K, M or G, or infinity)";
        if (limit.Value.Soft > limit.Value.Hard)
            return $"the soft limit in '{value}' is above the hard limit";
        return null;
    }

    /// <summary>Splits a <c>Bind=</c> value into source, destination and options, honouring <c>\:</c>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The parts, unescaped; a missing destination is the source.</returns>
    public static (string Source, string Destination, string Options) SplitBind(string value)
    {
        var parts = SplitEscaped(value);
        string src = parts[0];
        string dst = parts.Count > 1 && parts[1].Length > 0 ? parts[1] : src.TrimStart('+', '-');
        string opts = parts.Count > 2 ? string.Join(':', parts.Skip(2)) : "";
        return (src, dst, opts);
    }

    /// <summary>Checks a <c>Bind=</c>/<c>BindReadOnly=</c> value: <c>SRC[:DST[:OPTIONS]]</c>.</summary>
    /// <param name="value">The text.</param>
    public static string? CheckBind(string value)
    {
        var parts = SplitEscaped(value);
        if (parts.Count > 3)
            return $"'{value}' has more than three ':'-separated parts (escape a ':' in a path as '\\:')";
        var src = parts[0].TrimStart('-').TrimStart('+');
        if (src.Length == 0 || !src.StartsWith('/'))
            return $"the source in '{value}' is not an absolute path";
        if (parts.Count > 1 && parts[1].Length > 0 && !parts[1].StartsWith('/'))
            return $"the destination in '{value}' is not an absolute path";
        if (parts.Count > 2)
        {
            foreach (var option in parts[2].Split(','))
            {
                if (option is not ("rbind" or "norbind" or "idmap" or "noidmap" or "rootidmap" or "owneridmap"))
                    return $"'{option}' is not a bind option (use rbind or norbind)";
            }
        }
        return null;
    }

    /// <summary>Checks an <c>Overlay=</c> value: at least two non-empty colon-separated paths.</summary>
    /// <param name="value">The text.</param>
    public static string? CheckOverlay(string value)
    {
        var parts = SplitEscaped(value);
        if (parts.Count < 2)
            return $"'{value}' names fewer than two paths (use LOWER:UPPER or LOWER:...:UPPER:DEST)";
        int empty = parts.Count(p => p.Length == 0);
        if (empty > 0)
            return $"'{value}' has {empty} empty path component{(empty == 1 ? "" : "s")}";
        return null;
    }

    /// <summary>Reads a signal: a name with or without <c>SIG</c>, <c>RTMIN+N</c>/<c>RTMAX-N</c>, or a number.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The signal number, or null when it is not a valid signal.</returns>
    public static int? ParseSignal(string value)
    {
        var name = value.StartsWith("SIG", StringComparison.Ordinal) ? value[3..] : value;
        int index = Array.IndexOf(Signals, name);
        if (index >= 0)
            return name switch { "IOT" => 6, "POLL" => 29, "PWR" => 30, "SYS" => 31, _ => index + 1 };
        if (name == "RTMIN")
            return SigRtMin;
        if (name == "RTMAX")
            return SigRtMax;
        if (name.StartsWith("RTMIN+", StringComparison.Ordinal) || name.StartsWith("RTMAX-", StringComparison.Ordinal))
        {
            if (!int.TryParse(name.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int offset))
                return null;
            if (offset > SigRtMax - SigRtMin)
                return null;
            return name[5] == '+' ? SigRtMin + offset : SigRtMax - offset;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= SigRtMax)
            return n;
        return null;
    }

    /// <summary>Checks a signal.</summary>
    /// <param name="value">The text.</param>
    public static string? CheckSignal(string value) => ParseSignal(value) is null
        ? $"'{value}' is not a signal (use a name such as SIGTERM or RTMIN+N with N at most {SigRtMax - SigRtMin})"
        : null;

    /// <summary>Splits a value at blanks, as systemd's word lists do (quotes group words).</summary>
    /// <param name="value">The text.</param>
    public static IReadOnlyList<string> Words(string value)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        char quote = '\0';
        bool any = false;
        foreach (char c in value)
        {
            if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
                else
                    current.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (any || current.Length > 0)
                    words.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else
            {
                current.Append(c);
            }
        }
        if (any || current.Length > 0)
            words.Add(current.ToString());
        return words;
    }

    private static List<string> SplitEscaped(string value)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] == ':')
            {
                current.Append(':');
                i++;
            }
            else if (value[i] == ':')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(value[i]);
            }
        }
        parts.Add(current.ToString());
        return parts;
    }
}
