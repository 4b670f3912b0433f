using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>Settings of a machine derived from several sources, as nspawn ends up applying them.</summary>
internal static class MachineSettings
{
    /// <summary>The values of a .nspawn key that nspawn honours (none from an untrusted file's privileged keys).</summary>
    public static IReadOnlyList<string> Honoured(DoctorFacts facts, string section, string key) =>
        facts.Nspawn?.Settings.Where(s => s.Section == section && s.Name == key && !s.IsIgnored).SelectMany(s => s.Values).ToList() ?? [];

    /// <summary>The values of a .nspawn key that nspawn ignores because the file is untrusted.</summary>
    public static IReadOnlyList<string> Ignored(DoctorFacts facts, string section, string key) =>
        facts.Nspawn?.Settings.Where(s => s.Section == section && s.Name == key && s.IsIgnored).SelectMany(s => s.Values).ToList() ?? [];

    /// <summary>Whether the machine runs (or will run) in a user namespace, and how that was found out.</summary>
    public static (bool? UserNamespace, string How) UserNamespace(DoctorFacts facts)
    {
        if (facts.LeaderUidMap is { } map)
        {
            var identity = map.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .All(f => f.Length == 3 && f[0] == "0" && f[1] == "0" && f[2] == "4294967295");
            return (!identity, identity ? "the leader's uid_map is the identity" : "the leader's uid_map shifts user ids");
        }

        var setting = Honoured(facts, "Exec", "PrivateUsers").LastOrDefault();
        if (setting is not null)
            return (ConfigValues.ParseBoolean(setting) != false, $"PrivateUsers={setting} in '{facts.Nspawn!.Location.Path}'");

        var execStart = ExecStart(facts);
        if (execStart is null)
            return (null, "the unit's ExecStart is unknown");
        var words = execStart.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var on = words.Any(w => w == "-U" || (w.StartsWith("--private-users", StringComparison.Ordinal)
                                              && w is not "--private-users=no" and not "--private-users=false"));
        return (on, on ? "the unit runs nspawn with -U" : "the unit's nspawn command line has no user namespace option");
    }

    /// <summary>The last ExecStart= of the unit's [Service] across its unit file and drop-ins (an empty one resets).</summary>
    public static string? ExecStart(DoctorFacts facts)
    {
        if (facts.UnitFiles is not { } view)
            return null;
        string? last = null;
        var fragments = view.UnitFile is null ? view.DropIns : view.DropIns.Prepend(view.UnitFile);
        foreach (var entry in fragments.SelectMany(f => f.Document.Get("Service", "ExecStart")))
            last = string.IsNullOrWhiteSpace(entry.Value) ? null : entry.Value;
        return last;
    }

    /// <summary>True when a Capability= list grants <paramref name="capability"/> (by name or <c>all</c>).</summary>
    public static bool Grants(IEnumerable<string> values, string capability) =>
        values.SelectMany(ConfigValues.Words).Any(w => w == "all" || string.Equals(w, capability, StringComparison.OrdinalIgnoreCase));
}
