namespace NspawnNative.Interop.Config;

/// <summary>The effective value of one .nspawn key.</summary>
/// <param name="Section">The section.</param>
/// <param name="Name">The key.</param>
/// <param name="Known">The key's description, or null when nspawn does not know it.</param>
/// <param name="Values">For a list key, the accumulated values (empty assignments reset); otherwise the last value.</param>
/// <param name="IsIgnored">True when nspawn ignores it: unknown, or privileged in an untrusted file.</param>
public sealed record NspawnSetting(string Section, string Name, NspawnKey? Known, IReadOnlyList<string> Values, bool IsIgnored);

/// <summary>A machine's .nspawn file as nspawn finds and reads it: where, whether trusted, its settings and findings.</summary>
/// <param name="Location">The lookup result (paths and trust).</param>
/// <param name="Document">The parsed file, or null when the machine has none.</param>
/// <param name="Diagnostics">Syntax and validation findings.</param>
/// <param name="IsExecutable">True when the file has an execute bit, which nspawn warns about.</param>
public sealed record NspawnSettingsFile(
    NspawnFileLocation Location, IniDocument? Document, IReadOnlyList<ConfigDiagnostic> Diagnostics, bool IsExecutable)
{
    /// <summary>True when a diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The effective settings in order of first appearance.</summary>
    public IReadOnlyList<NspawnSetting> Settings => Document is null ? [] : Effective(Document, Location.IsTrusted);

    /// <summary>Finds and reads the effective .nspawn file of <paramref name="machine"/>.</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <exception cref="InvalidInputException">The machine name is not valid.</exception>
    /// <exception cref="ConfigFileException">The file exists but cannot be read.</exception>
    public static NspawnSettingsFile Load(HostPaths paths, string machine)
    {
        var location = NspawnFileLocation.Find(paths, machine);
        if (location.Path is null)
            return new NspawnSettingsFile(location, null, [], false);
        return Read(location, paths.UnderRoot(location.Path), location.Path);
    }

    /// <summary>Reads a .nspawn file given by path; it counts as trusted when it lies in a trusted directory.</summary>
    /// <param name="file">The file to open here.</param>
    /// <exception cref="ConfigFileException">The file does not exist or cannot be read.</exception>
    public static NspawnSettingsFile LoadFile(string file)
    {
        var full = Path.GetFullPath(file);
        var name = Path.GetFileNameWithoutExtension(full);
        bool trusted = Path.GetDirectoryName(full) is "/etc/systemd/nspawn" or "/run/systemd/nspawn";
        var location = new NspawnFileLocation(name, full, trusted, [full]);
        if (!Path.Exists(full))
            throw new ConfigFileException($"File '{full}' does not exist; give the path of a .nspawn file or a machine name.");
        return Read(location, full, file);
    }

    /// <summary>The effective values of a parsed .nspawn document.</summary>
    /// <param name="document">The parsed file.</param>
    /// <param name="trusted">Whether the file is trusted.</param>
    public static IReadOnlyList<NspawnSetting> Effective(IniDocument document, bool trusted)
    {
        var order = new List<(string Section, string Name)>();
        var values = new Dictionary<(string, string), List<string>>();
        foreach (var e in document.Assignments.Where(a => a.Section is not null))
        {
            var id = (e.Section!, e.Key!);
            if (!values.TryGetValue(id, out var list))
            {
                values[id] = list = [];
                order.Add(id);
            }
            var known = NspawnSchema.Find(e.Section!, e.Key!);
            if (known is { IsList: true })
            {
                if (e.Value!.Length == 0)
                    list.Clear();
                else
                    list.Add(e.Value);
            }
            else
            {
                list.Clear();
                list.Add(e.Value!);
            }
        }
        return order.Select(id =>
        {
            var known = NspawnSchema.Find(id.Section, id.Name);
            return new NspawnSetting(id.Section, id.Name, known, values[id], known is null || (!trusted && known.IsPrivileged));
        }).ToList();
    }

    private static NspawnSettingsFile Read(NspawnFileLocation location, string hostPath, string displayPath)
    {
        var text = AtomicFileWriter.ReadOrNull(hostPath) ?? "";
        var doc = IniDocument.Parse(text, displayPath);
        var diagnostics = NspawnValidator.Validate(doc, location.IsTrusted).ToList();
        bool executable = !OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(hostPath) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        if (executable)
        {
            diagnostics.Insert(0, new ConfigDiagnostic(displayPath, 1, 1, DiagnosticSeverity.Warning,
                "The file is executable, which nspawn warns about; make it mode 0644."));
        }
        return new NspawnSettingsFile(location, doc, diagnostics, executable);
    }
}
