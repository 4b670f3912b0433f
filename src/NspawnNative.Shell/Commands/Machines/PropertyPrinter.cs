using NspawnNative.Interop.Systemd;
using Tmds.DBus.Protocol;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>Prints D-Bus properties as <c>systemctl show</c> and <c>machinectl show</c> do: NAME=VALUE lines sorted by
/// name, an array of structures one line per entry; or, with --json, one object of strings.</summary>
internal static class PropertyPrinter
{
    public static void Print(VerbContext ctx, IEnumerable<(string Name, VariantValue Value)> properties, string[]? only)
    {
        var wanted = (only ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        var lines = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (wanted.Count > 0 && !wanted.Contains(name))
                continue;
            lines[name] = value.Type == VariantValueType.Array && value.ItemType == VariantValueType.Struct && value.Count > 0
                ? Enumerable.Range(0, value.Count).Select(i => PropertyValues.Format(value.GetItem(i))).ToList()
                : [PropertyValues.Format(value)];
        }
        var missing = wanted.Where(w => !lines.ContainsKey(w)).ToList();
        if (missing.Count > 0)
            throw new CommandFailedException($"No property '{string.Join("', '", missing)}' here; without -p every property is shown.");

        if (ctx.Json)
        {
            ctx.Out.Json(new SortedDictionary<string, List<string>>(lines, StringComparer.Ordinal), MachinesJsonContext.Default.SortedDictionaryStringListString);
            return;
        }
        foreach (var (name, values) in lines)
        {
            foreach (var v in values)
                ctx.Out.Line($"{name}={v}");
        }
    }
}
