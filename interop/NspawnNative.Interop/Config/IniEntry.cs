namespace NspawnNative.Interop.Config;

/// <summary>What one logical line of an INI document is.</summary>
public enum IniEntryKind
{
    /// <summary>An empty or whitespace-only line.</summary>
    Blank,

    /// <summary>A line whose first non-blank character is <c>#</c> or <c>;</c>.</summary>
    Comment,

    /// <summary>A <c>[Section]</c> header.</summary>
    Section,

    /// <summary>A <c>Key=Value</c> assignment, possibly continued over several lines with a trailing <c>\</c>.</summary>
    Assignment,

    /// <summary>A line systemd ignores with a warning (no <c>=</c>, a broken header); kept verbatim.</summary>
    Invalid,
}

/// <summary>
/// One logical line of an <see cref="IniDocument"/>: its exact text (one or more physical lines, with their line
/// terminators) and, for assignments, its section, key and value as systemd reads them.
/// </summary>
/// <param name="Kind">What the line is.</param>
/// <param name="Text">The exact text, terminators included; concatenating every entry gives the file back.</param>
/// <param name="Line">The 1-based number of its first physical line.</param>
/// <param name="Section">The section it belongs to (for a header, its own name); null before the first header.</param>
/// <param name="Key">The key of an assignment; otherwise null.</param>
/// <param name="Value">The value of an assignment, continuations joined and outer whitespace trimmed; otherwise null.</param>
/// <param name="ValueColumn">The 1-based column where the value starts on the first line (0 when there is none).</param>
public sealed record IniEntry(
    IniEntryKind Kind, string Text, int Line, string? Section, string? Key, string? Value, int ValueColumn);
