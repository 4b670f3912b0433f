using System.CommandLine;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop.Rdma;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary><c>device allow NAME PATH|char-CLASS ... [--runtime]</c>: adds DeviceAllow rules to a machine's unit
/// live. <see cref="Create"/> makes the 'allow' sub-command alone, to hang under the shell's 'device' command.</summary>
internal static class DeviceAllowVerb
{
    public static Command Create(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session);
        var devices = new Argument<string[]>("DEVICE")
        {
            Description = "A /dev path or char-CLASS/block-CLASS, optionally followed by ':ACCESS' (r, w, m; default rwm). " +
                "None: every uverbs and rdma_cm node in /dev/infiniband (umad and issm only when named).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var runtime = new Option<bool>("--runtime") { Description = "Only until the next boot (/run instead of /etc)." };
        var command = new Command("allow", "Allow devices in a machine's unit (SetUnitProperties DeviceAllow; merges with its rules).")
        {
            name, devices, runtime,
        };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            var given = ctx.Get(devices) ?? [];
            var entries = given.Length > 0 ? given.Select(Entry).ToList() : DiscoveredNodes(ctx);
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

    // The nodes a verbs program needs: every uverbs node and rdma_cm that exist now. umad and issm give management
    // and subnet-manager power, so they are allowed only when named.
    private static List<DeviceAllowEntry> DiscoveredNodes(VerbContext ctx)
    {
        var snapshot = RdmaDiscovery.Discover(ctx.Paths);
        var entries = snapshot.Nodes
            .Where(n => n.Kind is RdmaNodeKind.Verbs or RdmaNodeKind.RdmaCm && n.Status == RdmaNodeStatus.Present)
            .Select(n => new DeviceAllowEntry(n.Path))
            .ToList();
        if (entries.Count == 0)
            throw new CommandFailedException(
                $"no uverbs or rdma_cm node found in '{ctx.Paths.UnderDev("/dev/infiniband")}'; name the devices to allow, or load the RDMA drivers first.");
        return entries;
    }

    private static DeviceAllowEntry Entry(string text)
    {
        // '/dev/x:rw' - a colon is never part of a device path or a class name.
        int colon = text.LastIndexOf(':');
        return colon > 0 ? new DeviceAllowEntry(text[..colon], text[(colon + 1)..]) : new DeviceAllowEntry(text);
    }
}
