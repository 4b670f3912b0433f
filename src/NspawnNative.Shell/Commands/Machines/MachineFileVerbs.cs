using System.CommandLine;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>bind, copy-to and copy-from: files between the host and a running machine, done by machined.</summary>
internal static class MachineFileVerbs
{
    public static IEnumerable<Command> Create(ShellSession session) =>
        [Bind(session), Copy(session, toMachine: true), Copy(session, toMachine: false)];

    private static Command Bind(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session);
        var source = new Argument<string>("SRC") { Description = "The absolute path on the host." };
        var destination = new Argument<string?>("DST") { Description = "The absolute path in the machine (default: SRC).", Arity = ArgumentArity.ZeroOrOne };
        var readOnly = new Option<bool>("--read-only") { Description = "Mount read-only." };
        var mkdir = new Option<bool>("--mkdir") { Description = "Create the destination when missing." };
        var command = new Command("bind", "Bind-mount a host directory or file into a running machine.") { name, source, destination, readOnly, mkdir };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            var src = ctx.Get(source)!;
            var dst = ctx.Get(destination);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            await new MachineManager(bus).BindMountMachineAsync(machineName, src, dst, ctx.Get(readOnly), ctx.Get(mkdir), ct);
            ctx.Log.LogInformation("Bound '{Source}' to '{Destination}' in machine '{Name}'.", src, string.IsNullOrEmpty(dst) ? src : dst, machineName);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Copy(ShellSession session, bool toMachine)
    {
        var name = MachineVerbs.NameArgument(session);
        var source = new Argument<string>("SRC") { Description = toMachine ? "The absolute path on the host." : "The absolute path in the machine." };
        var destination = new Argument<string?>("DST")
        {
            Description = (toMachine ? "The absolute path in the machine" : "The absolute path on the host") + " (default: SRC).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command(toMachine ? "copy-to" : "copy-from",
            toMachine ? "Copy a file or tree from the host into a running machine." : "Copy a file or tree from a running machine to the host.")
        { name, source, destination };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            var src = ctx.Get(source)!;
            var dst = ctx.Get(destination);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            var machines = new MachineManager(bus);
            if (toMachine)
                await machines.CopyToMachineAsync(machineName, src, dst, ct);
            else
                await machines.CopyFromMachineAsync(machineName, src, dst, ct);
            ctx.Log.LogInformation("Copied '{Source}' {Direction} machine '{Name}' as '{Destination}'.", src, toMachine ? "to" : "from", machineName,
                string.IsNullOrEmpty(dst) ? src : dst);
            return ExitCodes.Success;
        });
        return command;
    }
}
