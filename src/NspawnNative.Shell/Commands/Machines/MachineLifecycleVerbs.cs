using System.CommandLine;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop.Posix;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>start, poweroff (stop), reboot, terminate, kill, enable and disable.</summary>
internal static class MachineLifecycleVerbs
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static IEnumerable<Command> Create(ShellSession session) =>
    [
        Start(session), PowerOff(session), Simple(session, "reboot", "Ask a machine's init to reboot.", "Rebooting",
            (c, n, ct) => c.RebootAsync(n, ct)),
        Simple(session, "terminate", "Kill every process of a machine at once.", "Terminated", (c, n, ct) => c.Machines.TerminateMachineAsync(n, ct)),
        Kill(session), Enable(session, enable: true), Enable(session, enable: false),
    ];

    private static Option<int> TimeoutOption() => new("--timeout")
    {
        Description = "Seconds to wait for the job and for machined (default 120).",
        DefaultValueFactory = _ => (int)DefaultTimeout.TotalSeconds,
        HelpName = "SECONDS",
    };

    private static Command Start(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session, "The machine (image) to start.");
        var timeout = TimeoutOption();
        var command = new Command("start", "Start a machine from its image and wait until machined lists it.") { name, timeout };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            var result = await new MachineControl(bus, ctx.Loggers.CreateLogger<MachineControl>())
                .StartAsync(machineName, Seconds(ctx.Get(timeout)), ct);
            if (ctx.Json)
                ctx.Out.Json(result, MachinesJsonContext.Default.JobResult);
            else
                ctx.Log.LogInformation("Started machine '{Name}' ({Unit}: job {Result}).", machineName, result.Unit, result.Result);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command PowerOff(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session);
        var timeout = TimeoutOption();
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the signal is sent." };
        var command = new Command("poweroff", "Ask a machine's init to power off and wait until it is gone.") { name, timeout, noWait };
        command.WithAliases("stop");
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            await new MachineControl(bus).PowerOffAsync(machineName, ctx.Get(noWait) ? null : Seconds(ctx.Get(timeout)), ct);
            ctx.Log.LogInformation("Powered off machine '{Name}'.", machineName);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Simple(ShellSession session, string verb, string description, string done,
        Func<MachineControl, string, CancellationToken, Task> action)
    {
        var name = MachineVerbs.NameArgument(session);
        var command = new Command(verb, description) { name };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            await action(new MachineControl(bus), machineName, ct);
            ctx.Log.LogInformation("{Done} machine '{Name}'.", done, machineName);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Kill(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session);
        var whom = new Option<string>("--kill-whom")
        {
            Description = "leader (the machine's init) or all (every process; the default).",
            DefaultValueFactory = _ => "all",
            HelpName = "WHOM",
        };
        whom.AcceptOnlyFromAmong("leader", "all");
        var signal = new Option<string>("--signal", "-s")
        {
            Description = "The signal: a name (SIGTERM, TERM, RTMIN+4) or a number; SIGTERM by default.",
            DefaultValueFactory = _ => "SIGTERM",
            HelpName = "SIGNAL",
        };
        var command = new Command("kill", "Send a signal to a machine's processes.") { name, whom, signal };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            var signalText = ctx.Get(signal) ?? "SIGTERM";
            if (!Signals.TryParse(signalText, out int number))
                throw new UsageException($"Unknown signal '{signalText}': give a name such as SIGTERM or RTMIN+4, or a number from 1 to 64.");
            var target = ctx.Get(whom) == "leader" ? KillWhom.Leader : KillWhom.All;
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            await new MachineManager(bus).KillMachineAsync(machineName, target, number, ct);
            ctx.Log.LogInformation("Sent signal {Signal} to {Whom} of machine '{Name}'.", number, target == KillWhom.All ? "every process" : "the leader", machineName);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Enable(ShellSession session, bool enable)
    {
        var name = MachineVerbs.NameArgument(session);
        var command = enable
            ? new Command("enable", "Start a machine at boot (enables systemd-nspawn@NAME.service and machines.target).") { name }
            : new Command("disable", "No longer start a machine at boot.") { name };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            var control = new MachineControl(bus);
            var changes = enable ? await control.EnableAsync(machineName, ct) : await control.DisableAsync(machineName, ct);
            if (ctx.Json)
            {
                ctx.Out.Json(changes.ToList(), MachinesJsonContext.Default.ListUnitFileChange);
                return ExitCodes.Success;
            }
            foreach (var c in changes)
            {
                if (c.Type == "symlink")
                    ctx.Log.LogInformation("Created symlink {File} → {Destination}.", c.FileName, c.Destination);
                else if (c.Type == "unlink")
                    ctx.Log.LogInformation("Removed {File}.", c.FileName);
                else
                    ctx.Log.LogInformation("{Type} {File} {Destination}.", c.Type, c.FileName, c.Destination);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static TimeSpan Seconds(int seconds) =>
        seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new UsageException($"--timeout must be more than 0 seconds, not {seconds}.");
}
