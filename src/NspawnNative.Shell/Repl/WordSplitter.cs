using System.Text;

namespace NspawnNative.Shell.Repl;

/// <summary>
/// Splits a REPL or script line into words the way a POSIX shell does for the cases operators type: blanks
/// separate words, single quotes keep everything literal, double quotes keep blanks (backslash escapes " \ $ `),
/// a backslash outside quotes escapes the next character, and '#' at the start of a word begins a comment.
/// No expansion of any kind.
/// </summary>
internal static class WordSplitter
{
    /// <summary>Splits <paramref name="line"/>; an unterminated quote is a <see cref="UsageException"/>.</summary>
    public static List<string> Split(string line) => Split(line, out _, allowOpenQuote: false);

    /// <summary>Splits for completion: an open quote is allowed, and <paramref name="endsInWord"/> says whether the
    /// line ends inside a word (complete that word) or after a blank (complete a new one).</summary>
    public static List<string> Split(string line, out bool endsInWord, bool allowOpenQuote)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
                i++;
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (c == '\\')
            {
                inWord = true;
                if (i + 1 < line.Length) current.Append(line[i + 1]);
                i += 2;
            }
            else if (c == '\'')
            {
                inWord = true;
                int end = line.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    if (!allowOpenQuote) throw new UsageException("Unterminated single quote.");
                    current.Append(line, i + 1, line.Length - i - 1);
                    i = line.Length;
                }
                else
                {
                    current.Append(line, i + 1, end - i - 1);
                    i = end + 1;
                }
            }
            else if (c == '"')
            {
                inWord = true;
                i++;
                bool closed = false;
                while (i < line.Length)
                {
                    char d = line[i];
                    if (d == '"') { closed = true; i++; break; }
                    if (d == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        current.Append(line[i + 1]);
                        i += 2;
                        continue;
                    }
                    current.Append(d);
                    i++;
                }
                if (!closed && !allowOpenQuote)
                    throw new UsageException("Unterminated double quote.");
            }
            else
            {
                inWord = true;
                current.Append(c);
                i++;
            }
        }
        endsInWord = inWord;
        if (inWord)
            words.Add(current.ToString());
        return words;
    }
}
