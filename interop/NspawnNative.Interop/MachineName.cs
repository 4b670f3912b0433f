namespace NspawnNative.Interop;

/// <summary>
/// Validation of machine (container) names by systemd's rules, done before any path or D-Bus call is built
/// from a name: 1 to 64 characters of letters, digits, '-', '_' and '.', not starting or ending with '.', no
/// "..". The same rules keep a name from escaping a directory (no '/', no "..").
/// </summary>
public static class MachineName
{
    /// <summary>The longest name systemd accepts for a machine.</summary>
    public const int MaxLength = 64;

    /// <summary>Returns true when <paramref name="name"/> is a valid machine name.</summary>
    /// <param name="name">The candidate name.</param>
    /// <param name="reason">When invalid, why, as a fragment for an error message; otherwise null.</param>
    public static bool IsValid(string? name, out string? reason)
    {
        reason = Check(name);
        return reason is null;
    }

    /// <summary>Throws when <paramref name="name"/> is not a valid machine name.</summary>
    /// <param name="name">The candidate name.</param>
    /// <returns>The name, unchanged.</returns>
    /// <exception cref="InvalidInputException">The name breaks systemd's rules; the message says which.</exception>
    public static string Validate(string? name)
    {
        var reason = Check(name);
        if (reason is not null)
            throw new InvalidInputException($"Invalid machine name '{name}': {reason}; use 1-64 letters, digits, '-', '_' or '.'.");
        return name!;
    }

    private static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "it is empty";
        if (name.Length > MaxLength)
            return $"it is {name.Length} characters long, more than {MaxLength}";
        if (name[0] == '.' || name[^1] == '.')
            return "it starts or ends with '.'";
        if (name.Contains("..", StringComparison.Ordinal))
            return "it contains '..'";
        foreach (var c in name)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';
            if (!ok)
                return c == '/' ? "it contains '/'" : $"it contains the character '{(char.IsControl(c) ? '?' : c)}'";
        }
        return null;
    }
}
