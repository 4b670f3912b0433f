using RadLine;

namespace NspawnNative.Shell.Repl;

/// <summary>Tab completion for the REPL, answered by the same parser that runs the commands: verbs, options, and
/// the machine, image and device names that arguments declare with <c>CompletesWith</c>.</summary>
internal sealed class ShellCompletion(ShellSession session) : ITextCompletion
{
    public IEnumerable<string>? GetCompletions(string prefix, string word, string suffix) => Complete(prefix, word);

    public IReadOnlyList<string> Complete(string prefix, string word)
    {
        var words = WordSplitter.Split(prefix, out _, allowOpenQuote: true);
        var parse = session.Root.Parse([.. words, word]);
        return parse.GetCompletions()
            .Select(c => c.Label)
            .Where(l => l.StartsWith(word, StringComparison.Ordinal) && !l.StartsWith("-?", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
