using System.Text;

namespace NspawnNative.Interop.Config;

/// <summary>
/// A lossless model of a file in systemd's INI syntax (unit files, drop-ins, .nspawn files): every byte is kept, so
/// <see cref="Render"/> of an unedited document gives back the parsed text exactly, and an edit rewrites only the lines
/// of the key it changes. Parsing never throws: what systemd would warn about becomes a <see cref="ConfigDiagnostic"/>.
/// </summary>
/// <remarks>
/// Syntax as systemd reads it: <c>#</c> or <c>;</c> start a comment only as the first non-blank character of a
/// line (a trailing <c># x</c> belongs to the value); a line ending in <c>\</c> continues on the next one (the
/// backslash becomes a space, comment lines inside a continuation are skipped); a line without <c>=</c> is ignored
/// with a warning; the last line may lack its newline.
/// </remarks>
public sealed class IniDocument
{
    private IniDocument(string fileName, IReadOnlyList<IniEntry> entries, IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        FileName = fileName;
        Entries = entries;
        Diagnostics = diagnostics;
    }

    /// <summary>The file name diagnostics refer to.</summary>
    public string FileName { get; }

    /// <summary>Every logical line, in file order.</summary>
    public IReadOnlyList<IniEntry> Entries { get; }

    /// <summary>Syntax findings (lines without <c>=</c>, broken headers, assignments outside a section).</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }

    /// <summary>The assignments, in file order.</summary>
    public IEnumerable<IniEntry> Assignments => Entries.Where(e => e.Kind == IniEntryKind.Assignment);

    /// <summary>The section names in order of first appearance (a section may appear more than once in a file).</summary>
    public IReadOnlyList<string> Sections =>
        Entries.Where(e => e.Kind == IniEntryKind.Section).Select(e => e.Section!).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Parses <paramref name="text"/>; never throws.</summary>
    /// <param name="text">The whole file.</param>
    /// <param name="fileName">The name diagnostics carry (usually the path).</param>
    public static IniDocument Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<IniEntry>();
        var diagnostics = new List<ConfigDiagnostic>();
        string? section = null;
        int lineNo = 0;
        int pos = 0;
        var raw = new StringBuilder();
        var logical = new StringBuilder();
        int firstLine = 0;
        string firstContent = "";
        bool continuing = false;

        while (pos < text.Length)
        {
            int nl = text.IndexOf('\n', pos);
            int end = nl < 0 ? text.Length : nl + 1;
            string physical = text[pos..end];
            pos = end;
            lineNo++;
            string content = physical.TrimEnd('\n').TrimEnd('\r');

            if (continuing)
            {
                raw.Append(physical);
                if (IsComment(content))
                    continue;
            }
            else
            {
                raw.Clear();
                logical.Clear();
                raw.Append(physical);
                firstLine = lineNo;
                firstContent = content;
            }

            if (content.EndsWith('\\'))
            {
                logical.Append(content, 0, content.Length - 1).Append(' ');
                continuing = true;
                continue;
            }
            logical.Append(content);
            continuing = false;
            entries.Add(Interpret(raw.ToString(), logical.ToString(), firstContent, firstLine, fileName, ref section, diagnostics));
        }
        if (continuing)
            entries.Add(Interpret(raw.ToString(), logical.ToString(), firstContent, firstLine, fileName, ref section, diagnostics));
        return new IniDocument(fileName, entries, diagnostics);
    }

    /// <summary>The document as text: the parsed bytes, with the edits made.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        foreach (var e in Entries)
            sb.Append(e.Text);
        return sb.ToString();
    }

    /// <summary>The assignments of <paramref name="key"/> in every instance of <paramref name="section"/>, in order.
    /// Names are case-sensitive, as in systemd.</summary>
    /// <param name="section">The section name, without brackets.</param>
    /// <param name="key">The key.</param>
    public IReadOnlyList<IniEntry> Get(string section, string key) =>
        Assignments.Where(e => e.Section == section && e.Key == key).ToList();

    /// <summary>
    /// Makes <paramref name="key"/> hold exactly <paramref name="value"/> in <paramref name="section"/>: the last
    /// assignment is rewritten in place and earlier ones are removed; the key is added when absent (the section too).
    /// Other lines are untouched. Returns this document when nothing changes.
    /// </summary>
    /// <param name="section">The section name.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value (one line).</param>
    /// <exception cref="InvalidInputException">The section, key or value cannot be written as one line.</exception>
    public IniDocument Set(string section, string key, string value)
    {
        CheckNames(section, key, value);
        var matches = IndicesOf(section, key, null);
        if (matches.Count == 0)
            return Add(section, key, value);
        var lines = Entries.Select(e => e.Text).ToList();
        int last = matches[^1];
        if (matches.Count == 1 && Entries[last].Value == value)
            return this;
        lines[last] = $"{key}={value}" + Terminator(Entries[last].Text);
        foreach (int i in matches.Take(matches.Count - 1).Reverse())
            lines.RemoveAt(i);
        return Reparse(lines);
    }

    /// <summary>
    /// Appends <paramref name="key"/>=<paramref name="value"/> after the last assignment of that key in
    /// <paramref name="section"/> (or at the end of the section, created when absent). An assignment with the same
    /// value already present makes this a no-op that returns this document: adding is idempotent.
    /// </summary>
    /// <param name="section">The section name.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value (one line).</param>
    /// <exception cref="InvalidInputException">The section, key or value cannot be written as one line.</exception>
    public IniDocument Add(string section, string key, string value)
    {
        CheckNames(section, key, value);
        if (IndicesOf(section, key, value).Count > 0)
            return this;
        var lines = Entries.Select(e => e.Text).ToList();
        string line = $"{key}={value}\n";
        var same = IndicesOf(section, key, null);
        int after = same.Count > 0 ? same[^1] : LastContentOf(section);
        if (after >= 0)
        {
            lines[after] = WithTerminator(lines[after]);
            lines.Insert(after + 1, line);
            return Reparse(lines);
        }

        if (lines.Count > 0)
        {
            lines[^1] = WithTerminator(lines[^1]);
            if (Entries[^1].Kind != IniEntryKind.Blank)
                lines.Add("\n");
        }
        lines.Add($"[{section}]\n");
        lines.Add(line);
        return Reparse(lines);
    }

    /// <summary>
    /// Removes the assignments of <paramref name="key"/> in <paramref name="section"/>, all of them or only those
    /// whose value equals <paramref name="value"/>. Returns this document when there is nothing to remove.
    /// </summary>
    /// <param name="section">The section name.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">Only remove assignments with this value; null removes every assignment of the key.</param>
    public IniDocument Remove(string section, string key, string? value = null)
    {
        var matches = IndicesOf(section, key, value);
        if (matches.Count == 0)
            return this;
        var lines = Entries.Select(e => e.Text).ToList();
        foreach (int i in Enumerable.Reverse(matches))
            lines.RemoveAt(i);
        return Reparse(lines);
    }

    private IniDocument Reparse(List<string> lines) => Parse(string.Concat(lines), FileName);

    private List<int> IndicesOf(string section, string key, string? value)
    {
        var found = new List<int>();
        for (int i = 0; i < Entries.Count; i++)
        {
            var e = Entries[i];
            if (e.Kind == IniEntryKind.Assignment && e.Section == section && e.Key == key && (value is null || e.Value == value))
                found.Add(i);
        }
        return found;
    }

    // The last header or assignment of the last instance of the section, so that a new key lands before the
    // blank lines and comments that introduce the next section.
    private int LastContentOf(string section)
    {
        int header = -1;
        for (int i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].Kind == IniEntryKind.Section && Entries[i].Section == section)
                header = i;
        }
        if (header < 0)
            return -1;
        int last = header;
        for (int i = header + 1; i < Entries.Count && Entries[i].Kind != IniEntryKind.Section; i++)
        {
            if (Entries[i].Kind is IniEntryKind.Assignment or IniEntryKind.Invalid)
                last = i;
        }
        return last;
    }

    private static void CheckNames(string section, string key, string value)
    {
        if (section.Length == 0 || section.IndexOfAny(['[', ']', '\n', '\r']) >= 0)
            throw new InvalidInputException($"Section name '{section}' is not valid; give a name without brackets or line breaks.");
        if (key.Length == 0 || key.IndexOfAny(['=', ' ', '\t', '\n', '\r', '#', ';', '[']) >= 0)
            throw new InvalidInputException($"Key '{key}' is not valid; give a name without '=', blanks or line breaks.");
        if (value.IndexOfAny(['\n', '\r']) >= 0 || value.EndsWith('\\'))
            throw new InvalidInputException($"The value for '{key}' spans lines; give a one-line value without a trailing '\\'.");
    }

    private static string Terminator(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : text.EndsWith('\n') ? "\n" : "";

    private static string WithTerminator(string text) => text.EndsWith('\n') ? text : text + "\n";

    private static bool IsComment(string content)
    {
        var t = content.TrimStart();
        return t.Length > 0 && (t[0] == '#' || t[0] == ';');
    }

    private static IniEntry Interpret(
        string raw, string logical, string firstContent, int line, string file, ref string? section, List<ConfigDiagnostic> diagnostics)
    {
        string l = logical.Trim();
        int indent = firstContent.Length - firstContent.TrimStart().Length;
        if (l.Length == 0)
            return new IniEntry(IniEntryKind.Blank, raw, line, section, null, null, 0);
        if (l[0] is '#' or ';')
            return new IniEntry(IniEntryKind.Comment, raw, line, section, null, null, 0);
        if (l[0] == '[')
        {
            if (l.Length < 3 || l[^1] != ']' || l.AsSpan(1, l.Length - 2).IndexOfAny('[', ']') >= 0)
            {
                diagnostics.Add(new(file, line, indent + 1, DiagnosticSeverity.Error,
                    "Invalid section header, systemd ignores it; write it as '[Name]'."));
                return new IniEntry(IniEntryKind.Invalid, raw, line, section, null, null, 0);
            }
            section = l[1..^1];
            return new IniEntry(IniEntryKind.Section, raw, line, section, null, null, 0);
        }

        int eq = l.IndexOf('=');
        if (eq < 0)
        {
            diagnostics.Add(new(file, line, indent + 1, DiagnosticSeverity.Warning,
                "Line has no '=', systemd ignores it; write 'Key=Value' or start the line with '#' to keep it as a comment."));
            return new IniEntry(IniEntryKind.Invalid, raw, line, section, null, null, 0);
        }
        string key = l[..eq].TrimEnd();
        string value = l[(eq + 1)..].Trim();
        if (key.Length == 0)
        {
            diagnostics.Add(new(file, line, indent + 1, DiagnosticSeverity.Warning,
                "Assignment has no key name, systemd ignores it; write 'Key=Value'."));
            return new IniEntry(IniEntryKind.Invalid, raw, line, section, null, null, 0);
        }
        if (section is null)
        {
            diagnostics.Add(new(file, line, indent + 1, DiagnosticSeverity.Warning,
                $"Assignment of '{key}' comes before any section, systemd ignores it; move it under a '[Section]' header."));
        }
        int firstEq = firstContent.IndexOf('=');
        int valueColumn = firstEq < 0 ? 1 : firstEq + 2 + (firstContent.Length - firstEq - 1 - firstContent[(firstEq + 1)..].TrimStart().Length);
        return new IniEntry(IniEntryKind.Assignment, raw, line, section, key, value, valueColumn);
    }
}
