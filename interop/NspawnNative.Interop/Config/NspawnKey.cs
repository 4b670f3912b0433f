namespace NspawnNative.Interop.Config;

/// <summary>How nspawn reads the value of a .nspawn key; decides its validation.</summary>
public enum NspawnValueKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>A boolean: 1/yes/y/true/t/on or 0/no/n/false/f/off.</summary>
    Boolean,

    /// <summary>Capability names (<c>CAP_*</c>) separated by blanks, or <c>all</c>.</summary>
    Capabilities,

    /// <summary>A resource limit: <c>VALUE</c> or <c>SOFT:HARD</c>, <c>infinity</c>, K/M/G/T/P/E suffixes (base 1024).</summary>
    Limit,

    /// <summary>A bind mount: <c>SRC[:DST[:OPTIONS]]</c> with <c>\:</c> escaping a colon.</summary>
    Bind,

    /// <summary>An overlay: at least two non-empty colon-separated paths.</summary>
    Overlay,

    /// <summary>A signal name or number.</summary>
    Signal,

    /// <summary>One of a fixed set of words (see <see cref="NspawnKey.Choices"/>).</summary>
    Choice,

    /// <summary>Network interface names separated by blanks.</summary>
    Interfaces,

    /// <summary>Exactly one network interface name.</summary>
    Interface,

    /// <summary>A 128-bit ID as 32 hex digits.</summary>
    Id128,

    /// <summary>An integer between -1000 and 1000.</summary>
    OomScoreAdjust,

    /// <summary>A boolean, <c>pick</c>, <c>identity</c>, or <c>UID[:COUNT]</c>.</summary>
    PrivateUsers,

    /// <summary>A port forward: <c>[tcp|udp:]HOST[:CONTAINER]</c>.</summary>
    Port,

    /// <summary>An absolute path.</summary>
    AbsolutePath,
}

/// <summary>
/// One key of systemd.nspawn(5): its section, how its value is read, whether repeated assignments accumulate into a
/// list (an empty assignment resets it) or the last one wins, and whether nspawn ignores it in an untrusted file.
/// </summary>
/// <param name="Section">The section, for example <c>Exec</c>.</param>
/// <param name="Name">The key, case-sensitive.</param>
/// <param name="Kind">How its value is read.</param>
/// <param name="IsList">True when assignments accumulate; false when the last one wins.</param>
/// <param name="IsPrivileged">True when nspawn ignores it in a file outside /etc/systemd/nspawn and /run/systemd/nspawn.</param>
/// <param name="Choices">The accepted words for <see cref="NspawnValueKind.Choice"/>; otherwise empty.</param>
public sealed record NspawnKey(
    string Section, string Name, NspawnValueKind Kind, bool IsList, bool IsPrivileged, IReadOnlyList<string> Choices)
{
    /// <summary>The <c>Section.Key</c> form the shell uses.</summary>
    public string FullName => $"{Section}.{Name}";
}
