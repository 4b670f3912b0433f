using System.CommandLine;
using NspawnNative.Interop.Config;
using NspawnNative.Interop.Systemd;
using NspawnNative.Interop.Workflows;
using NspawnNative.Shell.Commands.Config;
using NspawnNative.Shell.Output;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary><c>memlock set NAME VALUE [--dry-run]</c>: the unit's LimitMEMLOCK cannot be set live
/// (SetUnitProperties answers PropertyReadOnly), so it goes into nspawn-native's own drop-in, followed by a
/// daemon-reload on a live host. <see cref="Create"/> makes the 'set' sub-command, beside 'memlock show'.</summary>
internal static class MemlockSetVerb
{
    public static Command Create(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session);
        var value = new Argument<string>("VALUE") { Description = "infinity, a size such as 64M (K, M, G: base 1024), or SOFT:HARD." };
        var dryRun = ConfigVerbs.DryRunOption();
        var command = new Command("set",
            "Set LimitMEMLOCK of a machine's unit in nspawn-native's drop-in, then daemon-reload; applies at the machine's next start.")
        {
            name, value, dryRun,
        };
        command.Handle(session, async (ctx, ct) =>
        {
            var machine = MachineVerbs.Name(ctx, name);
            var limit = ctx.Get(value)!;
            if (ConfigValues.CheckLimit(limit) is { } reason)
                throw new UsageException($"Memlock value '{limit}' is not valid: {reason}.");

            var file = NspawnNativeDropIn.Load(ctx.Paths, machine).SetLimitMemlock(limit).ToStep(ctx.Paths);
            var steps = new List<PlanStep> { file };
            // An offline root (--root) has no systemd to reload; a dry run touches nothing, the bus included.
            await using var bus = ctx.Paths.IsLiveRoot && !ctx.Get(dryRun) ? await MachineVerbs.ConnectAsync(ctx, ct) : null;
            if (bus is not null)
                steps.Add(new SystemdReloadStep(new SystemdManager(bus), file.HasChanges));
            return await PlanOutput.RunAsync(ctx, new Plan($"memlock of machine '{machine}'", steps), ctx.Get(dryRun), ct);
        });
        return command;
    }
}
