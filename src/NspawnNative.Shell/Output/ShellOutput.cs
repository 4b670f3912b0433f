using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace NspawnNative.Shell.Output;

/// <summary>
/// Where a verb prints its results: plain lines, machinectl-style tables, or JSON. Diagnostics never go here;
/// they go to the logger (stderr).
/// </summary>
internal sealed class ShellOutput(TextWriter writer, bool noLegend)
{
    public TextWriter Writer { get; } = writer;

    public bool NoLegend { get; } = noLegend;

    public void Line(string text = "") => Writer.WriteLine(text);

    /// <summary>Writes <paramref name="value"/> as indented JSON through a source-generated type info (AOT-safe).</summary>
    public void Json<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        Writer.WriteLine(JsonSerializer.Serialize(value, typeInfo));
    }

    /// <summary>
    /// Writes a table in machinectl's style: an upper-case header, left-aligned columns separated by one space
    /// (the last column not padded), and a legend line such as "2 machines listed." unless --no-legend.
    /// </summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, string? legend = null)
    {
        var all = rows.Select(r => r.Select(c => c ?? "-").ToArray()).ToList();
        var widths = new int[headers.Count];
        for (int i = 0; i < headers.Count; i++)
        {
            widths[i] = NoLegend ? 0 : headers[i].Length;
            foreach (var row in all)
                widths[i] = Math.Max(widths[i], i < row.Length ? row[i].Length : 0);
        }

        if (!NoLegend)
            Writer.WriteLine(FormatRow(headers.ToArray(), widths));
        foreach (var row in all)
            Writer.WriteLine(FormatRow(row, widths));
        if (!NoLegend && legend is not null)
        {
            Writer.WriteLine();
            Writer.WriteLine(legend);
        }
    }

    /// <summary>Writes "Key: value" lines with the keys right-aligned, as machinectl status does.</summary>
    public void Fields(IEnumerable<(string Key, string? Value)> fields, int indent = 0)
    {
        var list = fields.Where(f => f.Value is not null).ToList();
        if (list.Count == 0)
            return;
        int width = list.Max(f => f.Key.Length);
        var pad = new string(' ', indent);
        foreach (var (key, value) in list)
            Writer.WriteLine($"{pad}{key.PadLeft(width)}: {value}");
    }

    private static string FormatRow(string[] cells, int[] widths)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Length ? cells[i] : "";
            if (i == widths.Length - 1)
                sb.Append(cell);
            else
                sb.Append(cell.PadRight(widths[i])).Append(' ');
        }
        return sb.ToString().TrimEnd();
    }
}
