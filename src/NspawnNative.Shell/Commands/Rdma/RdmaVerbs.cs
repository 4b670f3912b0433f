using System.CommandLine;
using NspawnNative.Interop;
using NspawnNative.Interop.Config;
using NspawnNative.Interop.Workflows;
using NspawnNative.Shell.Commands.Config;
using NspawnNative.Shell.Output;

namespace NspawnNative.Shell.Commands.Rdma;

/// <summary>The 'rdma' command: profile (issue 4); enable/disable and doctor (issue 8) are added as further
/// subcommands in <see cref="Subcommands"/>, or attached from another group through <see cref="ISubcommandSource"/>.</summary>
internal sealed class RdmaVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session) =>
        [SubcommandSources.Build(session, "rdma", "Give machines RDMA: settings, devices, checks.", Subcommands(session))];

    private static IEnumerable<Command> Subcommands(ShellSession session) => [Profile(session)];

    private static Command Profile(ShellSession session)
    {
        var name = ConfigVerbs.MachineArgument(session);
        var hostNetwork = new Option<bool>("--host-network") { Description = "Share the host's network (VirtualEthernet=no); RoCE needs the netdev that owns the GID." };
        var hugepages = new Option<bool>("--hugepages") { Description = "Bind /dev/hugepages even when the host does not seem to have it." };
        var noHugepages = new Option<bool>("--no-hugepages") { Description = "Do not bind /dev/hugepages." };
        var privateUsersOff = new Option<bool>("--private-users-off") { Description = "PrivateUsers=no: CAP_IPC_LOCK lifts the memlock limit only outside a user namespace." };
        var deviceAllow = new Option<string[]>("--device-allow") { Description = "Also allow DEVICE (a /dev path or char-CLASS, optionally followed by access letters) in our unit drop-in.", HelpName = "DEVICE", AllowMultipleArgumentsPerToken = false };
        var dryRun = ConfigVerbs.DryRunOption();
        var command = new Command("profile",
            "Make a machine's .nspawn file carry the RDMA settings (CAP_IPC_LOCK, LimitMEMLOCK=infinity, Bind=/dev/infiniband/, " +
            "Bind=/dev/hugepages) and its unit drop-in LimitMEMLOCK=infinity; a second run changes nothing.")
        {
            name, hostNetwork, hugepages, noHugepages, privateUsersOff, deviceAllow, dryRun,
        };
        return command.Handle(session, (ctx, ct) =>
        {
            if (ctx.Get(hugepages) && ctx.Get(noHugepages))
                throw new UsageException("--hugepages and --no-hugepages exclude each other.");
            var machine = MachineName.Validate(ctx.Get(name));
            var devices = (ctx.Get(deviceAllow) ?? []).Select(d => DeviceAllowEntry.Parse(d)
                ?? throw new InvalidInputException("An empty --device-allow names no device; give a /dev path or char-CLASS.")).ToList();
            var options = new RdmaProfileOptions(
                HostNetwork: ctx.Get(hostNetwork),
                Hugepages: ctx.Get(hugepages) ? true : ctx.Get(noHugepages) ? false : null,
                PrivateUsersOff: ctx.Get(privateUsersOff),
                DeviceAllow: devices);
            var plan = RdmaProfile.Plan(ctx.Paths, machine, options);
            return PlanOutput.RunAsync(ctx, plan, ctx.Get(dryRun), ct);
        });
    }
}
