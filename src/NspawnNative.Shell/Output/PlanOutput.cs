using System.Text.Json.Serialization;
using NspawnNative.Interop.Workflows;
using NspawnNative.Shell.Commands;

namespace NspawnNative.Shell.Output;

/// <summary>Shows a plan (dry run) or applies it and shows what changed: the one way every changing verb ends.</summary>
internal static class PlanOutput
{
    public static async Task<int> RunAsync(VerbContext ctx, Plan plan, bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun || !plan.HasChanges)
        {
            if (ctx.Json)
                ctx.Out.Json(new PlanJson(plan.Title, dryRun, plan.HasChanges, [], plan.HasChanges ? plan.Render() : ""), PlanJsonContext.Default.PlanJson);
            else
                ctx.Out.Writer.Write(plan.Render());
            return ExitCodes.Success;
        }

        var result = await plan.ApplyAsync(cancellationToken).ConfigureAwait(false);
        if (ctx.Json)
        {
            ctx.Out.Json(new PlanJson(plan.Title, false, result.Changed, result.Changes, ""), PlanJsonContext.Default.PlanJson);
            return ExitCodes.Success;
        }
        foreach (var change in result.Changes)
            ctx.Out.Line(change);
        return ExitCodes.Success;
    }
}

/// <summary>A plan or its outcome as JSON.</summary>
internal sealed record PlanJson(string Title, bool DryRun, bool Changes, IReadOnlyList<string> Applied, string Diff);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PlanJson))]
internal sealed partial class PlanJsonContext : JsonSerializerContext;
