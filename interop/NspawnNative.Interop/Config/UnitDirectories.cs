namespace NspawnNative.Interop.Config;

/// <summary>systemd's unit search path for the system manager, highest priority first, and where drop-ins live.</summary>
public static class UnitDirectories
{
    // TODO (config): the generator directories (/run/systemd/generator*) are not searched; nothing of ours lives there.
    /// <summary>The unit directories, highest priority first.</summary>
    /// <remarks>Generator directories (<c>/run/systemd/generator*</c>) are not searched: nothing we care about is
    /// generated there.</remarks>
    public static IReadOnlyList<string> System { get; } =
    [
        "/etc/systemd/system.control",
        "/run/systemd/system.control",
        "/run/systemd/transient",
        "/etc/systemd/system",
        "/run/systemd/system",
        "/usr/local/lib/systemd/system",
        "/usr/lib/systemd/system",
    ];

    /// <summary>
    /// The drop-in directory names for <paramref name="unit"/> within one unit directory, in systemd's order: the
    /// unit's own, its template's (for an instance), then one per dash prefix (<c>a-b-c.service</c> gives
    /// <c>a-b-.service.d</c> and <c>a-.service.d</c>). The type-wide <c>service.d</c> is not included: it comes after
    /// every directory of every unit directory.
    /// </summary>
    /// <param name="unit">A unit name such as <c>systemd-nspawn@a.service</c>.</param>
    public static IReadOnlyList<string> DropInNames(string unit)
    {
        var names = new List<string>();
        AddDropInNames(unit, names);
        return names;
    }

    private static void AddDropInNames(string unit, List<string> names)
    {
        void Add(string dir)
        {
            if (!names.Contains(dir))
                names.Add(dir);
        }

        int dot = unit.LastIndexOf('.');
        if (dot <= 0)
            return;
        string stem = unit[..dot];
        string suffix = unit[dot..];
        Add(unit + ".d");
        int at = stem.IndexOf('@');
        if (at >= 0 && at < stem.Length - 1)
            Add(stem[..(at + 1)] + suffix + ".d");

        int searchEnd = stem.EndsWith('-') ? stem.Length - 1 : stem.Length;
        int dash = searchEnd > 0 ? stem.LastIndexOf('-', searchEnd - 1) : -1;
        if (dash > 0)
            AddDropInNames(stem[..(dash + 1)] + suffix, names);
    }
}
