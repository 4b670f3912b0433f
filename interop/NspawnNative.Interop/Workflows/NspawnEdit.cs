using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Workflows;

/// <summary>What an <see cref="NspawnEdit"/> does to its key.</summary>
public enum NspawnEditKind
{
    /// <summary>The key holds exactly the value afterwards (other assignments of it are removed).</summary>
    Set,

    /// <summary>The value is appended to a list key, unless it is already there.</summary>
    Add,

    /// <summary>Every assignment of the key is removed, or only those with the given value.</summary>
    Unset,
}

/// <summary>One change to a machine's .nspawn file, as <c>nspawn set|add|unset NAME Section.Key[=VALUE]</c> give it.</summary>
/// <param name="Kind">Set, add or unset.</param>
/// <param name="Section">The section.</param>
/// <param name="Key">The key (case-sensitive).</param>
/// <param name="Value">The value; may be null only for <see cref="NspawnEditKind.Unset"/>.</param>
public sealed record NspawnEdit(NspawnEditKind Kind, string Section, string Key, string? Value)
{
    /// <summary>Reads <c>Section.Key[=VALUE]</c>.</summary>
    /// <param name="kind">The kind of edit.</param>
    /// <param name="text">The argument as typed.</param>
    /// <exception cref="InvalidInputException">The text is not <c>Section.Key=VALUE</c> (the value may be omitted
    /// only for unset), or the key or value is not valid for systemd.nspawn(5).</exception>
    public static NspawnEdit Parse(NspawnEditKind kind, string text)
    {
        int eq = text.IndexOf('=');
        string name = eq < 0 ? text : text[..eq];
        string? value = eq < 0 ? null : text[(eq + 1)..];
        int dot = name.IndexOf('.');
        if (dot <= 0 || dot == name.Length - 1)
            throw new InvalidInputException($"'{text}' does not name a setting; write it as Section.Key=VALUE, for example Exec.LimitMEMLOCK=infinity.");
        if (value is null && kind != NspawnEditKind.Unset)
            throw new InvalidInputException($"'{text}' has no value; write it as {name}=VALUE.");
        var edit = new NspawnEdit(kind, name[..dot], name[(dot + 1)..], value);
        edit.Check();
        return edit;
    }

    /// <summary>Refuses unknown keys, invalid values, and adding to a key that is not a list.</summary>
    /// <exception cref="InvalidInputException">The edit cannot be made.</exception>
    public void Check()
    {
        var key = NspawnSchema.Find(Section, Key);
        if (key is null)
        {
            var hint = NspawnSchema.Suggest(Section, Key);
            throw new InvalidInputException(hint is null
                ? $"'{Section}.{Key}' is not a setting of systemd.nspawn(5); check the section and the key's spelling (names are case-sensitive)."
                : $"'{Section}.{Key}' is not a setting of systemd.nspawn(5); write '{hint.FullName}' instead.");
        }
        if (Kind == NspawnEditKind.Add && !key.IsList)
            throw new InvalidInputException($"'{key.FullName}' holds one value, not a list; use 'nspawn set' instead of 'nspawn add'.");
        if (Kind != NspawnEditKind.Unset && Value is not null && Value.Length > 0 && NspawnValidator.Check(key, Value) is { } reason)
            throw new InvalidInputException($"Value for '{key.FullName}' is not valid: {reason}.");
        if (Kind == NspawnEditKind.Set && string.IsNullOrEmpty(Value))
            throw new InvalidInputException($"Setting '{key.FullName}' to nothing is what 'nspawn unset' does; use that.");
    }

    /// <summary>Applies the edit to a document.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The edited document (the same one when nothing changes).</returns>
    public IniDocument ApplyTo(IniDocument document) => Kind switch
    {
        NspawnEditKind.Set => document.Set(Section, Key, Value!),
        NspawnEditKind.Add => document.Add(Section, Key, Value!),
        _ => document.Remove(Section, Key, Value),
    };
}

/// <summary>Builds plans that edit a machine's .nspawn file.</summary>
public static class NspawnEditPlanner
{
    /// <summary>
    /// Plans <paramref name="edits"/> on the .nspawn file of <paramref name="machine"/>. The file written is always
    /// the trusted <c>/etc/systemd/nspawn/NAME.nspawn</c>; when it does not exist yet but a lower-priority file does
    /// (in /run or next to the image), the new file starts from that file's content so no setting is lost.
    /// </summary>
    /// <param name="paths">The roots.</param>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <param name="title">The plan's title.</param>
    /// <param name="edits">The edits, applied in order.</param>
    /// <exception cref="InvalidInputException">The machine name or an edit is not valid.</exception>
    /// <exception cref="ConfigFileException">A file cannot be read.</exception>
    public static Plan Plan(HostPaths paths, string machine, string title, IEnumerable<NspawnEdit> edits) =>
        new(title, [Step(paths, machine, doc => edits.Aggregate(doc, (d, e) => e.ApplyTo(d)))]);

    /// <summary>The file step that applies <paramref name="edit"/> to the .nspawn file we write for the machine.</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <param name="edit">Turns the current document into the wanted one.</param>
    public static FileStep Step(HostPaths paths, string machine, Func<IniDocument, IniDocument> edit)
    {
        var location = NspawnFileLocation.Find(paths, machine);
        var current = AtomicFileWriter.ReadOrNull(paths.UnderRoot(location.WritePath));
        var start = current ?? (location.Path is null ? "" : AtomicFileWriter.ReadOrNull(paths.UnderRoot(location.Path)) ?? "");
        var edited = edit(IniDocument.Parse(start, location.WritePath)).Render();
        // Nothing to write when the edits leave a file we would create identical to the one nspawn already reads
        // (or to no file at all): a step that deletes an absent file changes nothing.
        if (current is null && edited == start)
            return FileStep.Delete(paths, location.WritePath, null);
        return FileStep.Write(paths, location.WritePath, current, edited);
    }
}
