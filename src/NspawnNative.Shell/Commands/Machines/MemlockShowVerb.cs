using NspawnNative.Interop.Posix;
using System.CommandLine;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary><c>memlock show NAME</c>: the unit's LimitMEMLOCK and the running leader's actual limit.
/// <see cref="Create"/> makes the 'show' sub-command alone, to hang under the shell's 'memlock' command.</summary>
internal static class MemlockShowVerb
{
    public static Command Create(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session);
        var command = new Command("show", "Show a machine's memlock limit: its unit's LimitMEMLOCK and its running leader's.") { name };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            var report = await new MachineControl(bus).GetMemlockAsync(machineName, ctx.Paths, ct);
            if (ctx.Json)
            {
                ctx.Out.Json(report, MachinesJsonContext.Default.MemlockReport);
                return ExitCodes.Success;
            }
            ctx.Out.Fields(
            [
                ("Unit", report.Unit),
                ("LimitMEMLOCK", $"{ResourceLimits.Format(report.UnitLimit.Soft, bytes: true)} soft, {ResourceLimits.Format(report.UnitLimit.Hard, bytes: true)} hard"),
                ("Leader", report.LeaderPid == 0 ? "not running" : report.LeaderPid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Leader memlock", report.LeaderLimit is { } l ? $"{ResourceLimits.Format(l.Soft, bytes: true)} soft, {ResourceLimits.Format(l.Hard, bytes: true)} hard" : null),
            ]);
            return ExitCodes.Success;
        });
        return command;
    }
}
