using System.CommandLine;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary><c>unit show UNIT [-p PROP...]</c> and <c>daemon-reload</c>. <see cref="Create"/> makes the 'show'
/// sub-command alone, so that it can hang under whichever 'unit' command the shell has.</summary>
internal static class UnitShowVerb
{
    public static Command Create(ShellSession session)
    {
        var unit = new Argument<string>("UNIT") { Description = "The unit name, for example systemd-nspawn@web.service." };
        var property = new Option<string[]>("--property", "-p")
        {
            Description = "Show only these properties (repeat it, or separate names with commas).",
            HelpName = "NAME",
        };
        var command = new Command("show", "Show a unit's properties as NAME=VALUE lines, as systemctl show does.") { unit, property };
        command.Handle(session, async (ctx, ct) =>
        {
            var unitName = ctx.Get(unit)!;
            if (unitName.Length == 0 || unitName.Contains('/'))
                throw new UsageException($"Invalid unit name '{unitName}'.");
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            var proxy = await new SystemdManager(bus).GetUnitProxyAsync(unitName, ct);
            var all = await proxy.GetAllAsync(Unit.Interface, ct);
            var typeInterface = Unit.TypeInterface(unitName);
            if (typeInterface != Unit.Interface)
            {
                foreach (var (key, value) in await proxy.GetAllAsync(typeInterface, ct))
                    all[key] = value;
            }
            PropertyPrinter.Print(ctx, all.Select(kv => (kv.Key, kv.Value)), ctx.Get(property));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command DaemonReload(ShellSession session)
    {
        var command = new Command("daemon-reload", "Reload every unit file and drop-in, as systemctl daemon-reload does.");
        command.Handle(session, async (ctx, ct) =>
        {
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            await new SystemdManager(bus).ReloadAsync(ct);
            ctx.Log.LogInformation("Reloaded systemd's unit files.");
            return ExitCodes.Success;
        });
        return command;
    }
}
