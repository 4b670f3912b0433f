using System.Globalization;

namespace NspawnNative.Interop.Config;

/// <summary>Checks a parsed .nspawn file against systemd.nspawn(5): sections, keys (case-sensitive) and values.</summary>
public static class NspawnValidator
{
    /// <summary>
    /// Returns the syntax diagnostics of <paramref name="document"/> followed by one diagnostic per unknown section or
    /// key (warnings: nspawn ignores them), per invalid value (errors) and, when <paramref name="trusted"/> is false,
    /// per privileged setting (warnings: nspawn ignores it in an untrusted file).
    /// </summary>
    /// <param name="document">The parsed file.</param>
    /// <param name="trusted">Whether the file lies in /etc/systemd/nspawn or /run/systemd/nspawn.</param>
    public static IReadOnlyList<ConfigDiagnostic> Validate(IniDocument document, bool trusted)
    {
        var found = new List<ConfigDiagnostic>(document.Diagnostics);
        var file = document.FileName;
        foreach (var e in document.Entries)
        {
            if (e.Kind == IniEntryKind.Section && !NspawnSchema.Sections.Contains(e.Section!))
            {
                found.Add(new(file, e.Line, 1, DiagnosticSeverity.Warning,
                    $"Unknown section '[{e.Section}]', nspawn ignores it; use [Exec], [Files] or [Network]."));
            }
            if (e.Kind != IniEntryKind.Assignment || e.Section is null || !NspawnSchema.Sections.Contains(e.Section))
                continue;

            var key = NspawnSchema.Find(e.Section, e.Key!);
            if (key is null)
            {
                var hint = NspawnSchema.Suggest(e.Section, e.Key!);
                found.Add(new(file, e.Line, 1, DiagnosticSeverity.Warning, hint is null
                    ? $"Unknown key '{e.Key}' in [{e.Section}], nspawn ignores it; check systemd.nspawn(5) for the name."
                    : $"Unknown key '{e.Key}' in [{e.Section}], nspawn ignores it; write '{hint.Name}' in [{hint.Section}] instead."));
                continue;
            }

            if (e.Value!.Length > 0 || !key.IsList)
            {
                var reason = Check(key, e.Value);
                if (reason is not null)
                {
                    found.Add(new(file, e.Line, e.ValueColumn, DiagnosticSeverity.Error,
                        $"Invalid value for '{key.Name}': {reason}; nspawn ignores this line, fix the value."));
                }
            }
            if (!trusted && key.IsPrivileged)
            {
                found.Add(new(file, e.Line, 1, DiagnosticSeverity.Warning,
                    $"'{key.Name}' is privileged and this file is not trusted, so nspawn ignores it; move the file to '/etc/systemd/nspawn/'."));
            }
        }
        return found;
    }

    /// <summary>Checks one value for <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>Null when valid, otherwise why not.</returns>
    public static string? Check(NspawnKey key, string value) => key.Kind switch
    {
        NspawnValueKind.Boolean => ConfigValues.CheckBoolean(value),
        NspawnValueKind.Capabilities => ConfigValues.CheckCapabilities(value),
        NspawnValueKind.Limit => ConfigValues.CheckLimit(value),
        NspawnValueKind.Bind => ConfigValues.CheckBind(value),
        NspawnValueKind.Overlay => ConfigValues.CheckOverlay(value),
        NspawnValueKind.Signal => ConfigValues.CheckSignal(value),
        NspawnValueKind.Choice => key.Choices.Contains(value) ? null : $"'{value}' is not one of {string.Join(", ", key.Choices)}",
        NspawnValueKind.Interfaces => ConfigValues.Words(value).Count == 0 ? "no interface is named" : CheckInterfaces(value),
        NspawnValueKind.Interface => ConfigValues.Words(value).Count != 1 ? $"'{value}' is not exactly one interface name" : CheckInterfaces(value),
        NspawnValueKind.Id128 => value.Length == 32 && value.All(char.IsAsciiHexDigit) ? null : $"'{value}' is not 32 hex digits",
        NspawnValueKind.OomScoreAdjust => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n is >= -1000 and <= 1000
            ? null : $"'{value}' is not a number between -1000 and 1000",
        NspawnValueKind.PrivateUsers => CheckPrivateUsers(value),
        NspawnValueKind.Port => CheckPort(value),
        NspawnValueKind.AbsolutePath => value.StartsWith('/') ? null : $"'{value}' is not an absolute path",
        _ => null,
    };

    private static string? CheckInterfaces(string value)
    {
        foreach (var name in ConfigValues.Words(value))
        {
            if (name.Length is 0 or > 15 || name.Contains('/') || name is "." or "..")
                return $"'{name}' is not a network interface name";
        }
        return null;
    }

    private static string? CheckPrivateUsers(string value)
    {
        if (ConfigValues.ParseBoolean(value) is not null || value is "pick" or "identity" or "managed")
            return null;
        var parts = value.Split(':');
        bool ok = parts.Length <= 2 && parts.All(p => uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        return ok ? null : $"'{value}' is not yes, no, pick, identity or UID[:COUNT]";
    }

    private static string? CheckPort(string value)
    {
        var rest = value;
        if (rest.StartsWith("tcp:", StringComparison.Ordinal) || rest.StartsWith("udp:", StringComparison.Ordinal))
            rest = rest[4..];
        var parts = rest.Split(':');
        bool ok = parts.Length <= 2 && parts.All(p => ushort.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0);
        return ok ? null : $"'{value}' is not [tcp|udp:]HOST[:CONTAINER] with ports 1-65535";
    }
}
