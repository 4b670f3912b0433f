using System.Globalization;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>Signal names as kill(1) and machinectl accept them: "SIGTERM", "TERM", "15", "RTMIN+4".</summary>
internal static class SignalNames
{
    private const int RtMin = 34;
    private const int RtMax = 64;

    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    public static int Parse(string text)
    {
        var s = text.Trim().ToUpperInvariant();
        if (s.StartsWith("SIG", StringComparison.Ordinal))
            s = s[3..];
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is > 0 and <= RtMax)
            return n;
        int index = Array.IndexOf(Names, s);
        if (index > 0)
            return index;
        if (s.StartsWith("RTMIN", StringComparison.Ordinal) && Offset(s[5..]) is { } up && RtMin + up <= RtMax)
            return RtMin + up;
        if (s.StartsWith("RTMAX", StringComparison.Ordinal) && Offset(s[5..]) is { } down && RtMax + down >= RtMin)
            return RtMax + down;
        throw new UsageException($"Unknown signal '{text}': give a name such as SIGTERM or RTMIN+4, or a number from 1 to {RtMax}.");
    }

    private static int? Offset(string s) =>
        s.Length == 0 ? 0 : int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : null;
}
