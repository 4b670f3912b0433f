using System.Globalization;

namespace NspawnNative.Interop.Config;

/// <summary>
/// Checks the unit-file settings this project reads or writes (device access, resource limits, signals and exit
/// statuses); other keys are left to systemd.
/// </summary>
public static class UnitValidator
{
    // TODO (config): only the keys this project reads or writes are checked; systemd knows hundreds more.
    private static readonly string[] SignalKeys = ["KillSignal", "RestartKillSignal", "FinalKillSignal", "WatchdogSignal"];

    private static readonly string[] StatusKeys = ["RestartForceExitStatus", "RestartPreventExitStatus", "SuccessExitStatus"];

    /// <summary>The syntax diagnostics of <paramref name="document"/> and one per invalid value of a checked key.</summary>
    /// <param name="document">A parsed unit file or drop-in.</param>
    public static IReadOnlyList<ConfigDiagnostic> Validate(IniDocument document)
    {
        var found = new List<ConfigDiagnostic>(document.Diagnostics);
        foreach (var e in document.Assignments)
        {
            if (e.Value!.Length == 0)
                continue;
            var reason = Check(e.Key!, e.Value);
            if (reason is not null)
            {
                found.Add(new(document.FileName, e.Line, e.ValueColumn, DiagnosticSeverity.Error,
                    $"Invalid value for '{e.Key}': {reason}; systemd ignores this line, fix the value."));
            }
        }
        return found;
    }

    /// <summary>Checks one value of a unit-file key; keys this project does not check are always fine.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">A non-empty value.</param>
    /// <returns>Null when valid, otherwise why not.</returns>
    public static string? Check(string key, string value)
    {
        if (key == "DeviceAllow")
            return CheckDeviceAllow(value);
        if (key == "DevicePolicy")
            return value is "auto" or "closed" or "strict" ? null : $"'{value}' is not auto, closed or strict";
        if (key.StartsWith("Limit", StringComparison.Ordinal) && key.Length > 5 && key[5..].All(char.IsAsciiLetterUpper))
            return ConfigValues.CheckLimit(value);
        if (SignalKeys.Contains(key))
            return ConfigValues.CheckSignal(value);
        if (StatusKeys.Contains(key))
        {
            foreach (var word in ConfigValues.Words(value))
            {
                bool status = int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 0 and <= 255;
                if (!status && ConfigValues.ParseSignal(word) is null && word is not ("SUCCESS" or "FAILURE"))
                    return $"'{word}' is neither an exit status (0-255) nor a valid signal";
            }
        }
        return null;
    }

    private static string? CheckDeviceAllow(string value)
    {
        var words = ConfigValues.Words(value);
        if (words.Count > 2)
            return $"'{value}' has more than a device and its access";
        var device = words[0];
        if (!device.StartsWith("/dev/", StringComparison.Ordinal) && !device.StartsWith("/run/systemd/inaccessible/", StringComparison.Ordinal)
            && !device.StartsWith("char-", StringComparison.Ordinal) && !device.StartsWith("block-", StringComparison.Ordinal))
            return $"'{device}' is neither a /dev path nor a char-CLASS or block-CLASS pattern";
        if (words.Count == 2 && (words[1].Length == 0 || words[1].Any(c => c is not ('r' or 'w' or 'm'))))
            return $"access '{words[1]}' is not made of the letters r, w and m";
        return null;
    }
}
