namespace NspawnNative.Interop.Config;

/// <summary>
/// The one drop-in of <c>systemd-nspawn@NAME.service</c> this project owns:
/// <c>/etc/systemd/system/systemd-nspawn@NAME.service.d/60-nspawn-native.conf</c>. It holds LimitMEMLOCK and, when
/// asked, DeviceAllow entries. A file at that path without our marker line is someone else's and is never changed.
/// </summary>
public sealed class NspawnNativeDropIn
{
    /// <summary>The file name of our drop-in.</summary>
    public const string FileName = "60-nspawn-native.conf";

    /// <summary>The first line of every drop-in we write; its presence is how we know the file is ours.</summary>
    public const string Marker = "# Written by nspawn-native; 'nspawn-native' edits and removes this file.";

    private NspawnNativeDropIn(string machine, string path, string? content, IniDocument document)
    {
        Machine = machine;
        Path = path;
        Content = content;
        Document = document;
    }

    /// <summary>The machine.</summary>
    public string Machine { get; }

    /// <summary>The drop-in as seen on the target system.</summary>
    public string Path { get; }

    /// <summary>The file's content when read; null when it did not exist.</summary>
    public string? Content { get; }

    /// <summary>The drop-in with the edits made so far.</summary>
    public IniDocument Document { get; private set; }

    /// <summary>The path of our drop-in for <paramref name="machine"/>.</summary>
    /// <param name="machine">The machine name; validated.</param>
    public static string PathFor(string machine) =>
        $"/etc/systemd/system/{UnitDropInView.UnitFor(machine)}.d/{FileName}";

    /// <summary>Reads our drop-in for <paramref name="machine"/> (absent is fine).</summary>
    /// <param name="paths">The roots.</param>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <exception cref="InvalidInputException">The machine name is not valid.</exception>
    /// <exception cref="ConfigFileException">A file we did not write sits at our path, or it cannot be read.</exception>
    public static NspawnNativeDropIn Load(HostPaths paths, string machine)
    {
        var path = PathFor(machine);
        var content = AtomicFileWriter.ReadOrNull(paths.UnderRoot(path));
        if (content is not null && !content.StartsWith(Marker, StringComparison.Ordinal))
            throw new ConfigFileException($"File '{path}' was not written by nspawn-native, so it is left alone; move it away or rename it to use this command.");
        var doc = IniDocument.Parse(content ?? Marker + "\n", path);
        return new NspawnNativeDropIn(machine, path, content, doc);
    }

    /// <summary>Sets LimitMEMLOCK (for example <c>infinity</c>), or removes it when <paramref name="value"/> is null.</summary>
    /// <param name="value">A limit value, or null.</param>
    /// <exception cref="InvalidInputException">The value is not a limit.</exception>
    public NspawnNativeDropIn SetLimitMemlock(string? value)
    {
        if (value is null)
        {
            Document = Document.Remove("Service", "LimitMEMLOCK");
            return this;
        }
        if (ConfigValues.CheckLimit(value) is { } reason)
            throw new InvalidInputException($"LimitMEMLOCK value '{value}' is not valid: {reason}.");
        Document = Document.Set("Service", "LimitMEMLOCK", value);
        return this;
    }

    /// <summary>Adds a DeviceAllow entry (no change when present).</summary>
    /// <param name="entry">The entry.</param>
    /// <exception cref="InvalidInputException">The entry is not valid.</exception>
    public NspawnNativeDropIn AddDeviceAllow(DeviceAllowEntry entry)
    {
        if (UnitValidator.Check("DeviceAllow", entry.ToString()) is { } reason)
            throw new InvalidInputException($"DeviceAllow entry '{entry}' is not valid: {reason}.");
        Document = Document.Add("Service", "DeviceAllow", entry.ToString());
        return this;
    }

    /// <summary>Removes a DeviceAllow entry we added (no change when absent).</summary>
    /// <param name="entry">The entry.</param>
    public NspawnNativeDropIn RemoveDeviceAllow(DeviceAllowEntry entry)
    {
        Document = Document.Remove("Service", "DeviceAllow", entry.ToString());
        return this;
    }

    /// <summary>
    /// The file step that brings the drop-in to <see cref="Document"/>: a write, or a removal when no assignment is
    /// left (then nothing of ours remains for the unit).
    /// </summary>
    /// <param name="paths">The roots.</param>
    public Workflows.FileStep ToStep(HostPaths paths) => Document.Assignments.Any()
        ? Workflows.FileStep.Write(paths, Path, Content, Document.Render())
        : Workflows.FileStep.Delete(paths, Path, Content);
}
