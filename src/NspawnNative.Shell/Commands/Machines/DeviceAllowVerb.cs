using System.CommandLine;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary><c>device allow NAME PATH|char-CLASS ... [--runtime]</c>: adds DeviceAllow rules to a machine's unit
/// live. <see cref="Create"/> makes the 'allow' sub-command alone, to hang under the shell's 'device' command.</summary>
internal static class DeviceAllowVerb
{
    public static Command Create(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session);
        // TODO (dbus): with no devices given, default to the /dev/infiniband nodes the RDMA discovery finds; until
        // that composition exists at least one is required (an empty DeviceAllow would wipe the template's rules).
        var devices = new Argument<string[]>("DEVICE")
        {
            Description = "A /dev path or char-CLASS/block-CLASS, optionally followed by ':ACCESS' (r, w, m; default rwm).",
            Arity = ArgumentArity.OneOrMore,
        };
        var runtime = new Option<bool>("--runtime") { Description = "Only until the next boot (/run instead of /etc)." };
        var command = new Command("allow", "Allow devices in a machine's unit (SetUnitProperties DeviceAllow; merges with its rules).")
        {
            name, devices, runtime,
        };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            var entries = (ctx.Get(devices) ?? []).Select(Entry).ToList();
            var unit = MachineControl.UnitFor(machineName);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            await new SystemdManager(bus).AddDeviceAllowAsync(unit, entries, ctx.Get(runtime), ct);
            if (ctx.Json)
                ctx.Out.Json(entries, MachinesJsonContext.Default.ListDeviceAllowEntry);
            foreach (var e in entries)
                ctx.Log.LogInformation("Allowed '{Path}' ({Access}) in '{Unit}'{Runtime}.", e.Path, e.Access, unit, ctx.Get(runtime) ? " until reboot" : "");
            return ExitCodes.Success;
        });
        return command;
    }

    private static DeviceAllowEntry Entry(string text)
    {
        // '/dev/x:rw' - a colon is never part of a device path or a class name.
        int colon = text.LastIndexOf(':');
        return colon > 0 ? new DeviceAllowEntry(text[..colon], text[(colon + 1)..]) : new DeviceAllowEntry(text);
    }
}
