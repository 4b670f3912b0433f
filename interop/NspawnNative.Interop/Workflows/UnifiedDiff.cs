using System.Text;
using DiffPlex;

namespace NspawnNative.Interop.Workflows;

/// <summary>Renders the change between two versions of a file in the unified diff format (three lines of context).</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The unified diff from <paramref name="oldText"/> to <paramref name="newText"/>.</summary>
    /// <param name="path">The file name for the <c>---</c>/<c>+++</c> header.</param>
    /// <param name="oldText">The old content; null when the file does not exist.</param>
    /// <param name="newText">The new content; null when the file is removed.</param>
    /// <returns>The diff; empty when the contents are equal.</returns>
    public static string Render(string path, string? oldText, string? newText)
    {
        if (oldText == newText)
            return "";
        var a = Lines(oldText);
        var b = Lines(newText);
        var diff = Differ.Instance.CreateLineDiffs(string.Join('\n', a), string.Join('\n', b), ignoreWhitespace: false);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldText is null ? "/dev/null" : "a" + path).Append('\n');
        sb.Append("+++ ").Append(newText is null ? "/dev/null" : "b" + path).Append('\n');

        var blocks = diff.DiffBlocks;
        if (a.Count == 0 && b.Count == 0)
            return sb.ToString();
        if (blocks.Count == 0)
        {
            // Same lines, different bytes: only the final newline changed.
            sb.Append("@@ -").Append(a.Count).Append(" +").Append(b.Count).Append(" @@\n");
            sb.Append('-').Append(a[^1]).Append('\n');
            if (!EndsWithNewline(oldText))
                sb.Append("\\ No newline at end of file\n");
            sb.Append('+').Append(b[^1]).Append('\n');
            if (!EndsWithNewline(newText))
                sb.Append("\\ No newline at end of file\n");
            return sb.ToString();
        }

        int i = 0;
        while (i < blocks.Count)
        {
            // Group blocks whose context overlaps into one hunk.
            int j = i;
            while (j + 1 < blocks.Count && blocks[j + 1].DeleteStartA - (blocks[j].DeleteStartA + blocks[j].DeleteCountA) <= 2 * Context)
                j++;
            int startA = Math.Max(0, blocks[i].DeleteStartA - Context);
            int startB = Math.Max(0, blocks[i].InsertStartB - Context);
            int endA = Math.Min(a.Count, blocks[j].DeleteStartA + blocks[j].DeleteCountA + Context);
            int endB = Math.Min(b.Count, blocks[j].InsertStartB + blocks[j].InsertCountB + Context);
            sb.Append("@@ -").Append(Range(startA, endA - startA)).Append(" +").Append(Range(startB, endB - startB)).Append(" @@\n");
            int posA = startA;
            for (int k = i; k <= j; k++)
            {
                var block = blocks[k];
                for (; posA < block.DeleteStartA; posA++)
                    sb.Append(' ').Append(a[posA]).Append('\n');
                for (int d = 0; d < block.DeleteCountA; d++)
                    Line(sb, '-', a, block.DeleteStartA + d, oldText);
                for (int n = 0; n < block.InsertCountB; n++)
                    Line(sb, '+', b, block.InsertStartB + n, newText);
                posA = block.DeleteStartA + block.DeleteCountA;
            }
            for (; posA < endA; posA++)
                Line(sb, ' ', a, posA, oldText);
            i = j + 1;
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, char mark, List<string> lines, int index, string? text)
    {
        sb.Append(mark).Append(lines[index]).Append('\n');
        if (index == lines.Count - 1 && !EndsWithNewline(text))
            sb.Append("\\ No newline at end of file\n");
    }

    private static bool EndsWithNewline(string? text) => string.IsNullOrEmpty(text) || text.EndsWith('\n');

    private static string Range(int start, int count) => count == 0 ? $"{start},0" : count == 1 ? $"{start + 1}" : $"{start + 1},{count}";

    private static List<string> Lines(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return [];
        var body = text.EndsWith('\n') ? text[..^1] : text;
        return [.. body.Split('\n')];
    }
}
