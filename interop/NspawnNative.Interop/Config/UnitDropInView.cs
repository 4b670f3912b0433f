namespace NspawnNative.Interop.Config;

/// <summary>One unit file or drop-in that takes part in a unit's configuration.</summary>
/// <param name="Path">The file as seen on the target system.</param>
/// <param name="Document">Its parsed content.</param>
/// <param name="Diagnostics">What systemd would warn about in it.</param>
public sealed record UnitFragment(string Path, IniDocument Document, IReadOnlyList<ConfigDiagnostic> Diagnostics);

/// <summary>One <c>DeviceAllow=</c> entry.</summary>
/// <param name="Device">A <c>/dev/...</c> path or a <c>char-CLASS</c>/<c>block-CLASS</c> pattern.</param>
/// <param name="Access">The access letters (r, w, m); <c>rwm</c> when the line names none.</param>
public sealed record DeviceAllowEntry(string Device, string Access)
{
    /// <summary>The form used in unit files and by <c>systemctl show</c>: <c>DEVICE ACCESS</c>.</summary>
    public override string ToString() => $"{Device} {Access}";

    /// <summary>Reads a <c>DeviceAllow=</c> value.</summary>
    /// <param name="value">The value, for example <c>/dev/infiniband/uverbs0 rw</c>.</param>
    /// <returns>The entry, or null for an empty (resetting) value.</returns>
    public static DeviceAllowEntry? Parse(string value)
    {
        var words = ConfigValues.Words(value);
        if (words.Count == 0)
            return null;
        return new DeviceAllowEntry(words[0], words.Count > 1 ? words[1] : "rwm");
    }
}

/// <summary>
/// The configuration of <c>systemd-nspawn@NAME.service</c> as systemd assembles it: the unit file (the template),
/// every drop-in in the order systemd applies them, and the resulting DeviceAllow list, DevicePolicy and
/// LimitMEMLOCK.
/// </summary>
/// <param name="Unit">The unit name.</param>
/// <param name="UnitFile">The unit file (usually the template), or null when none was found.</param>
/// <param name="DropIns">The drop-ins in the order systemd applies them (lexical by file name).</param>
/// <param name="DeviceAllow">The effective DeviceAllow entries, in file order; empty assignments reset the list.</param>
/// <param name="DevicePolicy">The effective DevicePolicy (<c>auto</c> when never set).</param>
/// <param name="LimitMemlock">The effective LimitMEMLOCK value as written (for example <c>infinity</c>), or null when
/// unset (the manager's DefaultLimitMEMLOCK applies).</param>
public sealed record UnitDropInView(
    string Unit, UnitFragment? UnitFile, IReadOnlyList<UnitFragment> DropIns, IReadOnlyList<DeviceAllowEntry> DeviceAllow,
    string DevicePolicy, string? LimitMemlock)
{
    /// <summary>Every diagnostic of the unit file and its drop-ins.</summary>
    public IEnumerable<ConfigDiagnostic> Diagnostics =>
        (UnitFile is null ? [] : UnitFile.Diagnostics).Concat(DropIns.SelectMany(d => d.Diagnostics));

    /// <summary>The unit name for machine <paramref name="machine"/>.</summary>
    /// <param name="machine">A machine name; validated.</param>
    /// <exception cref="InvalidInputException">The name is not valid.</exception>
    public static string UnitFor(string machine) => $"systemd-nspawn@{MachineName.Validate(machine)}.service";

    /// <summary>Reads the unit and drop-ins of <c>systemd-nspawn@<paramref name="machine"/>.service</c>.</summary>
    /// <param name="paths">The roots; files are read under <see cref="HostPaths.Root"/>.</param>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <exception cref="InvalidInputException">The machine name is not valid.</exception>
    /// <exception cref="ConfigFileException">A file exists but cannot be read.</exception>
    public static UnitDropInView Load(HostPaths paths, string machine) => LoadUnit(paths, UnitFor(machine));

    /// <summary>Reads the unit file and drop-ins of any unit, as systemd's lookup finds them.</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="unit">The unit name, for example <c>systemd-nspawn@a.service</c>.</param>
    /// <exception cref="ConfigFileException">A file exists but cannot be read.</exception>
    public static UnitDropInView LoadUnit(HostPaths paths, string unit)
    {
        if (unit.Contains('/') || unit.Contains("..", StringComparison.Ordinal))
            throw new InvalidInputException($"Unit name '{unit}' is not valid; give a name without '/' or '..'.");
        var unitFile = FindUnitFile(paths, unit);

        var dirs = new List<string>();
        foreach (var root in UnitDirectories.System)
            dirs.AddRange(UnitDirectories.DropInNames(unit).Select(n => $"{root}/{n}"));
        int dot = unit.LastIndexOf('.');
        if (dot > 0)
            dirs.AddRange(UnitDirectories.System.Select(root => $"{root}/{unit[(dot + 1)..]}.d"));

        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in dirs)
        {
            var hostDir = paths.UnderRoot(dir);
            if (!Directory.Exists(hostDir))
                continue;
            foreach (var file in Directory.EnumerateFiles(hostDir, "*.conf"))
            {
                var name = Path.GetFileName(file);
                // The first directory in priority order wins; a later file of the same name is masked.
                byName.TryAdd(name, $"{dir}/{name}");
            }
        }
        var dropIns = byName.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => Read(paths, kv.Value))
            .Where(f => f is not null).Select(f => f!).ToList();

        var allow = new List<DeviceAllowEntry>();
        string policy = "auto";
        string? memlock = null;
        foreach (var fragment in (unitFile is null ? [] : new[] { unitFile }).Concat(dropIns))
        {
            foreach (var e in fragment.Document.Assignments.Where(a => a.Section == "Service"))
            {
                switch (e.Key)
                {
                    case "DeviceAllow":
                        if (DeviceAllowEntry.Parse(e.Value!) is { } entry)
                            allow.Add(entry);
                        else
                            allow.Clear();
                        break;
                    case "DevicePolicy":
                        policy = e.Value!.Length == 0 ? "auto" : e.Value!;
                        break;
                    case "LimitMEMLOCK":
                        memlock = e.Value!.Length == 0 ? null : e.Value;
                        break;
                }
            }
        }
        return new UnitDropInView(unit, unitFile, dropIns, allow, policy, memlock);
    }

    private static UnitFragment? FindUnitFile(HostPaths paths, string unit)
    {
        int at = unit.IndexOf('@');
        int dot = unit.LastIndexOf('.');
        string? template = at >= 0 && dot > at + 1 ? unit[..(at + 1)] + unit[dot..] : null;
        foreach (var name in template is null ? [unit] : new[] { unit, template })
        {
            foreach (var root in UnitDirectories.System)
            {
                if (Read(paths, $"{root}/{name}") is { } fragment)
                    return fragment;
            }
        }
        return null;
    }

    private static UnitFragment? Read(HostPaths paths, string path)
    {
        var text = AtomicFileWriter.ReadOrNull(paths.UnderRoot(path));
        if (text is null)
            return null;
        var doc = IniDocument.Parse(text, path);
        return new UnitFragment(path, doc, UnitValidator.Validate(doc));
    }
}
