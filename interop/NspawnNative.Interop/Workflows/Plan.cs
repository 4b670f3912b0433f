using System.Text;

namespace NspawnNative.Interop.Workflows;

/// <summary>
/// An ordered list of changes to the system, built first and applied second, so that a dry run can show exactly
/// what would happen. Steps without changes are kept (they say what is already in place) but not applied.
/// </summary>
/// <param name="Title">What the plan is for, for example "rdma profile for 'node1'".</param>
/// <param name="Steps">The steps in the order they are applied.</param>
public sealed record Plan(string Title, IReadOnlyList<PlanStep> Steps)
{
    /// <summary>The text shown when nothing would change.</summary>
    public const string NothingToChange = "nothing to change";

    /// <summary>True when at least one step would change something.</summary>
    public bool HasChanges => Steps.Any(s => s.HasChanges);

    /// <summary>The plan as text: for each changing step its description and preview; or "nothing to change".</summary>
    public string Render()
    {
        if (!HasChanges)
            return $"{Title}: {NothingToChange}.\n";
        var sb = new StringBuilder();
        foreach (var step in Steps.Where(s => s.HasChanges))
        {
            sb.Append("# ").Append(step.Description).Append('\n');
            sb.Append(step.Preview);
            if (step.Preview.Length > 0 && !step.Preview.EndsWith('\n'))
                sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Applies every changing step in order; stops at the first failure (earlier steps stay applied).</summary>
    /// <param name="cancellationToken">Checked before each step.</param>
    /// <returns>What changed, one line per applied step; empty when nothing had to change.</returns>
    public async Task<PlanResult> ApplyAsync(CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        foreach (var step in Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (step.HasChanges)
                changed.Add(await step.ApplyAsync(cancellationToken).ConfigureAwait(false));
        }
        return new PlanResult(Title, changed);
    }
}

/// <summary>What applying a <see cref="Plan"/> changed.</summary>
/// <param name="Title">The plan's title.</param>
/// <param name="Changes">One line per applied step; empty when nothing had to change.</param>
public sealed record PlanResult(string Title, IReadOnlyList<string> Changes)
{
    /// <summary>True when something changed.</summary>
    public bool Changed => Changes.Count > 0;
}
