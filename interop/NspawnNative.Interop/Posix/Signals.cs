using System.Globalization;
using Mono.Unix.Native;

namespace NspawnNative.Interop.Posix;

/// <summary>
/// Signal names as operators type them (<c>SIGTERM</c>, <c>TERM</c>, <c>15</c>, <c>SIGRTMIN+4</c>) turned into
/// this platform's numbers, through Mono.Unix's signal table rather than a list of our own.
/// </summary>
public static class Signals
{
    /// <summary>Parses a signal name or number.</summary>
    /// <param name="text">A name with or without the SIG prefix, any case; a number; or SIGRTMIN+N / SIGRTMAX-N.</param>
    /// <returns>The signal number.</returns>
    /// <exception cref="InvalidInputException">The text names no signal.</exception>
    public static int Parse(string text)
    {
        if (TryParse(text, out int number))
            return number;
        throw new InvalidInputException($"Unknown signal '{text}'; give a name such as SIGTERM, TERM or SIGRTMIN+4, or a number.");
    }

    /// <summary>Parses a signal name or number; false when the text names no signal.</summary>
    /// <param name="text">A name with or without the SIG prefix, any case; a number; or SIGRTMIN+N / SIGRTMAX-N.</param>
    /// <param name="number">The signal number when parsed.</param>
    public static bool TryParse(string? text, out int number)
    {
        number = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var t = text.Trim().ToUpperInvariant();
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out number))
            return number is > 0 and < 65;
        if (!t.StartsWith("SIG", StringComparison.Ordinal))
            t = "SIG" + t;

        if (t.StartsWith("SIGRTMIN", StringComparison.Ordinal) || t.StartsWith("SIGRTMAX", StringComparison.Ordinal))
            return TryParseRealTime(t, out number);

        if (!Enum.TryParse<Signum>(t, ignoreCase: false, out var signum) || !Enum.IsDefined(signum))
            return false;
        try
        {
            number = NativeConvert.FromSignum(signum);
        }
        catch (ArgumentException)
        {
            return false;
        }
        return true;
    }

    // SIGRTMIN+N counts up from the first real-time signal, SIGRTMAX-N down from the last (as kill(1) reads them).
    private static bool TryParseRealTime(string t, out int number)
    {
        number = 0;
        bool fromMin = t.StartsWith("SIGRTMIN", StringComparison.Ordinal);
        var rest = t[8..];
        int offset = 0;
        if (rest.Length > 0 && !(rest[0] == (fromMin ? '+' : '-')
              && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
            return false;
        int min = NativeConvert.FromRealTimeSignum(new RealTimeSignum(0));
        const int max = 64; // _NSIG - 1 on every Linux architecture we run on; glibc's SIGRTMAX is that.
        number = fromMin ? min + offset : max - offset;
        return number >= min && number <= max;
    }
}
