using System.CommandLine;
using NspawnNative.Interop;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>
/// machinectl's machine verbs over machined and systemd (issue 5, machines and units half): list, status, show,
/// the lifecycle verbs, bind and copy, shell, and the unit, daemon-reload, device allow and memlock show verbs.
/// </summary>
internal sealed class MachineVerbs : IVerbGroup, ISubcommandSource
{
    public IEnumerable<Command> Create(ShellSession session)
    {
        session.Completions.Register("machine", async ct =>
        {
            await using var bus = await ConnectAsync(session, ct).ConfigureAwait(false);
            return (await new MachineManager(bus).ListMachinesAsync(ct).ConfigureAwait(false)).Select(m => m.Name).ToList();
        });

        var device = new Command("device", "Device rules of a machine's unit.") { DeviceAllowVerb.Create(session) };
        var memlock = new Command("memlock", "The memory-lock limit of a machine.") { MemlockShowVerb.Create(session), MemlockSetVerb.Create(session) };

        return
        [
            MachineInfoVerbs.List(session), MachineInfoVerbs.Status(session), MachineInfoVerbs.Show(session),
            .. MachineLifecycleVerbs.Create(session),
            .. MachineFileVerbs.Create(session),
            MachineShellVerb.Create(session),
            UnitShowVerb.DaemonReload(session),
            device, memlock,
        ];
    }

    /// <summary>'unit show' joins the config group's 'unit' command (beside 'unit dropins').</summary>
    public IEnumerable<Command> CreateSubcommands(string parent, ShellSession session) =>
        parent == "unit" ? [UnitShowVerb.Create(session)] : [];

    /// <summary>Connects to the bus the line asks for (--bus, or the system bus).</summary>
    internal static Task<SystemdBus> ConnectAsync(VerbContext ctx, CancellationToken ct) => SystemdBus.ConnectAsync(ctx.Settings.BusAddress, ct);

    /// <summary>Connects to the session's default bus, for Tab completion, which has no command line of its own.</summary>
    internal static Task<SystemdBus> ConnectAsync(ShellSession session, CancellationToken ct) =>
        SystemdBus.ConnectAsync(session.Defaults.BusAddress, ct);

    /// <summary>The machine-name argument every verb shares, with Tab completion.</summary>
    internal static Argument<string> NameArgument(ShellSession session, string description = "The machine name.") =>
        new Argument<string>("NAME") { Description = description }.CompletesWith(session, "machine");

    /// <summary>Validates a name from the command line before any path or call is built from it.</summary>
    internal static string Name(VerbContext ctx, Argument<string> argument) => MachineName.Validate(ctx.Get(argument));
}
