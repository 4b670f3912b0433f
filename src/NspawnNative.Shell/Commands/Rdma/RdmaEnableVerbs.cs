using System.CommandLine;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop;
using NspawnNative.Interop.Systemd;
using NspawnNative.Interop.Workflows;
using NspawnNative.Interop.Workflows.Doctor;
using NspawnNative.Shell.Commands.Config;
using NspawnNative.Shell.Commands.Machines;
using NspawnNative.Shell.Output;

namespace NspawnNative.Shell.Commands.Rdma;

/// <summary>'rdma enable' and 'rdma disable', attached under the 'rdma' command: one plan each, shown or applied.</summary>
internal sealed class RdmaEnableVerbs : IVerbGroup, ISubcommandSource
{
    public IEnumerable<Command> Create(ShellSession session) => [];

    public IEnumerable<Command> CreateSubcommands(string parent, ShellSession session) =>
        parent == "rdma" ? [Enable(session), Disable(session)] : [];

    private static Command Enable(ShellSession session)
    {
        var name = ConfigVerbs.MachineArgument(session);
        var hostNetwork = new Option<bool>("--host-network") { Description = "Share the host's network (VirtualEthernet=no) even without a RoCE device." };
        var devices = new Option<string[]>("--devices")
        {
            Description = "'all' (the default: a class rule that also covers devices created later) or the devices to give by name (path rules).",
            HelpName = "all|DEV",
            AllowMultipleArgumentsPerToken = true,
        };
        devices.CompletionSources.Add(_ => session.Completions.Get("device").Prepend("all").Select(d => new System.CommandLine.Completions.CompletionItem(d)));
        var umad = new Option<bool>("--umad") { Description = "Also allow the umad nodes (MAD access, for ibstat and friends)." };
        var issm = new Option<bool>("--issm") { Description = "Also allow the issm nodes (gives the machine subnet-manager power)." };
        var noRestart = new Option<bool>("--no-restart") { Description = "Do not restart the machine when it runs; the changes apply at its next start." };
        var dryRun = ConfigVerbs.DryRunOption();
        var command = new Command("enable",
            "Give a machine working RDMA in one step: .nspawn profile, device rules and LimitMEMLOCK in our unit drop-in, " +
            "daemon-reload, memlock and TERM inside its root, restart, then doctor. A second run changes nothing.")
        {
            name, hostNetwork, devices, umad, issm, noRestart, dryRun,
        };
        return command.Handle(session, async (ctx, ct) =>
        {
            var machine = MachineName.Validate(ctx.Get(name)!);
            var chosen = ctx.Get(devices) ?? [];
            var options = new RdmaEnableOptions(
                HostNetwork: ctx.Get(hostNetwork),
                Devices: chosen.Length == 0 || (chosen.Length == 1 && chosen[0] == "all") ? null : chosen,
                Umad: ctx.Get(umad),
                Issm: ctx.Get(issm),
                Restart: !ctx.Get(noRestart));
            await using var bus = await ConnectIfLiveAsync(ctx, ct).ConfigureAwait(false);
            var control = bus is null ? null : new MachineControl(bus, ctx.Loggers.CreateLogger<MachineControl>());
            var plan = await new RdmaEnable(ctx.Paths, control, ctx.Loggers.CreateLogger<RdmaEnable>()).PlanAsync(machine, options, ct).ConfigureAwait(false);
            if (ctx.Get(dryRun))
                return await PlanOutput.RunAsync(ctx, plan, dryRun: true, ct).ConfigureAwait(false);

            var result = await plan.ApplyAsync(ct).ConfigureAwait(false);
            var report = await DoctorVerbs.RunAsync(ctx, new DoctorRequest(machine), ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                ctx.Out.Json(new RdmaEnableJson(plan.Title, false, result.Changed, result.Changes, "", DoctorJson.From(report)),
                    DoctorJsonContext.Readable.RdmaEnableJson);
            }
            else
            {
                if (result.Changed)
                {
                    foreach (var change in result.Changes)
                        ctx.Out.Line(change);
                }
                else
                {
                    ctx.Out.Writer.Write(plan.Render());
                }
                ctx.Out.Line();
                ctx.Out.Line($"doctor {machine}:");
                DoctorVerbs.Print(ctx, report);
            }
            return report.Failed ? ExitCodes.Failure : ExitCodes.Success;
        });
    }

    private static Command Disable(ShellSession session)
    {
        var name = ConfigVerbs.MachineArgument(session);
        var noRestart = new Option<bool>("--no-restart") { Description = "Do not restart the machine when it runs." };
        var dryRun = ConfigVerbs.DryRunOption();
        var command = new Command("disable",
            "Take back exactly what 'rdma enable' changed for a machine (from its record), then daemon-reload and restart it if it runs.")
        {
            name, noRestart, dryRun,
        };
        return command.Handle(session, async (ctx, ct) =>
        {
            var machine = MachineName.Validate(ctx.Get(name)!);
            await using var bus = await ConnectIfLiveAsync(ctx, ct).ConfigureAwait(false);
            var control = bus is null ? null : new MachineControl(bus, ctx.Loggers.CreateLogger<MachineControl>());
            var plan = await new RdmaDisable(ctx.Paths, control, ctx.Loggers.CreateLogger<RdmaDisable>())
                .PlanAsync(machine, new RdmaDisableOptions(Restart: !ctx.Get(noRestart)), ct).ConfigureAwait(false);
            return await PlanOutput.RunAsync(ctx, plan, ctx.Get(dryRun), ct).ConfigureAwait(false);
        });
    }

    /// <summary>The system bus on the live system; none under --root, where only files are planned.</summary>
    private static async Task<SystemdBus?> ConnectIfLiveAsync(VerbContext ctx, CancellationToken ct) =>
        ctx.Paths.IsLiveRoot ? await MachineVerbs.ConnectAsync(ctx, ct).ConfigureAwait(false) : null;
}
