using System.CommandLine;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop.Posix;

namespace NspawnNative.Shell.Commands.SelfTest;

/// <summary>limits [PID] and limits set memlock VALUE [--pid PID]: the rlimits RDMA depends on, read and raised with
/// prlimit(2).</summary>
internal static class LimitsVerbs
{
    public static Command Create(ShellSession session)
    {
        var pid = new Argument<int?>("pid") { Arity = ArgumentArity.ZeroOrOne, Description = "The process (default: this one)." };
        var limits = new Command("limits", "Show the resource limits (memlock first) of this process or of PID.") { pid };
        limits.Handle(session, (ctx, ct) => Task.FromResult(Show(ctx, ctx.Get(pid) ?? 0)));

        var resource = new Argument<string>("resource") { Description = "The resource: memlock (or any rlimit name, e.g. nofile)." };
        var value = new Argument<string>("value") { Description = "infinity, bytes with K/M/G/T, or SOFT:HARD." };
        var target = new Option<int?>("--pid") { Description = "The process to change (default: this one; others need CAP_SYS_RESOURCE).", HelpName = "PID" };
        var set = new Command("set", "Set a resource limit (soft and hard) of this process or of --pid.") { resource, value, target };
        set.Handle(session, (ctx, ct) =>
        {
            var kind = ParseResource(ctx.Get(resource)!);
            var limit = ParseLimit(ctx.Get(value)!);
            int p = ctx.Get(target) ?? 0;
            var old = ResourceLimits.Set(p, kind, limit);
            ctx.Log.LogInformation("Set {Name} of {Who} from {OldSoft}:{OldHard} to {Soft}:{Hard}.", ResourceLimits.CName(kind),
                p == 0 ? "this process" : $"process {p}", Text(kind, old.Soft), Text(kind, old.Hard), Text(kind, limit.Soft), Text(kind, limit.Hard));
            return Task.FromResult(Show(ctx, p, kind));
        });
        limits.Subcommands.Add(set);
        return limits;
    }

    /// <summary>Parses a resource name: "memlock", "MEMLOCK", "RLIMIT_MEMLOCK", or the enum name.</summary>
    public static ResourceKind ParseResource(string text)
    {
        var t = text.Trim();
        foreach (var kind in ResourceLimits.All)
        {
            var cname = ResourceLimits.CName(kind);
            if (t.Equals(cname, StringComparison.OrdinalIgnoreCase) || t.Equals(cname["RLIMIT_".Length..], StringComparison.OrdinalIgnoreCase)
                || t.Equals(kind.ToString(), StringComparison.OrdinalIgnoreCase))
                return kind;
        }
        throw new UsageException($"Unknown resource '{text}'; give memlock, nofile, nproc, stack, core or another rlimit name.");
    }

    /// <summary>Parses VALUE or SOFT:HARD as prlimit(1) does; one value sets both.</summary>
    public static ResourceLimit ParseLimit(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 2 || !ResourceLimits.TryParse(parts[0], out var soft))
            throw new UsageException($"Limit '{text}' is not valid; give infinity, a number with an optional K/M/G/T suffix, or SOFT:HARD.");
        ulong hard = soft;
        if (parts.Length == 2 && !ResourceLimits.TryParse(parts[1], out hard))
            throw new UsageException($"Hard limit '{parts[1]}' is not valid; give infinity or a number with an optional K/M/G/T suffix.");
        if (soft > hard)
            throw new UsageException($"Soft limit {parts[0]} is above hard limit {parts[1]}.");
        return new ResourceLimit(soft, hard);
    }

    private static int Show(VerbContext ctx, int pid, ResourceKind? only = null)
    {
        // memlock first: it is what RDMA registration runs into.
        var kinds = only is { } k ? [k] : ResourceLimits.All.OrderBy(r => r == ResourceKind.MemLock ? 0 : 1).ToArray();
        var rows = kinds.Select(r => (Kind: r, Limit: ResourceLimits.Get(pid, r))).ToList();
        if (ctx.Json)
        {
            ctx.Out.Json(new LimitsJson(pid == 0 ? Environment.ProcessId : pid, rows.Select(r => LimitJson.From(r.Kind, r.Limit)).ToList()),
                SelfTestJsonContext.Default.LimitsJson);
            return ExitCodes.Success;
        }
        ctx.Out.Table(["RESOURCE", "SOFT", "HARD", "UNITS"],
            rows.Select(r => (IReadOnlyList<string?>)[ResourceLimits.CName(r.Kind), Text(r.Kind, r.Limit.Soft), Text(r.Kind, r.Limit.Hard),
                ResourceLimits.IsBytes(r.Kind) ? "bytes" : ""]),
            $"{rows.Count} limits of {(pid == 0 ? $"process {Environment.ProcessId} (this one)" : $"process {pid}")}.");
        return ExitCodes.Success;
    }

    private static string Text(ResourceKind kind, ulong value) => ResourceLimits.Format(value, ResourceLimits.IsBytes(kind));
}
