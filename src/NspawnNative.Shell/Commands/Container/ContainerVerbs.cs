using System.CommandLine;
using NspawnNative.Interop;
using NspawnNative.Interop.Workflows;
using NspawnNative.Shell.Commands.Config;
using NspawnNative.Shell.Output;

namespace NspawnNative.Shell.Commands.Container;

/// <summary>The 'container' command: files inside a machine's own root (term, memlock) and the check of its RDMA
/// userspace against the host's (rdma-userspace).</summary>
internal sealed class ContainerVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session) =>
        [SubcommandSources.Build(session, "container", "Change files inside a machine's own root directory.", Subcommands(session))];

    private static IEnumerable<Command> Subcommands(ShellSession session) =>
        [Term(session), Memlock(session), RdmaUserspaceVerb.Create(session)];

    /// <summary>The roots of a machine's own files. The one place that decides where a machine's root is.</summary>
    internal static HostPaths MachineRoot(VerbContext ctx, string machine) => ContainerFiles.MachineRoot(ctx.Paths, machine);

    private static Command Term(ShellSession session)
    {
        var name = ConfigVerbs.MachineArgument(session);
        var term = new Option<string>("--term") { Description = "The terminal type.", DefaultValueFactory = _ => "xterm-256color", HelpName = "TERM" };
        var dryRun = ConfigVerbs.DryRunOption();
        var command = new Command("term", $"Set TERM for 'machinectl login' inside the machine ({ContainerFiles.TermDropIn}).") { name, term, dryRun };
        return command.Handle(session, (ctx, ct) =>
        {
            var machine = MachineName.Validate(ctx.Get(name));
            var plan = ContainerFiles.PlanTerm(MachineRoot(ctx, machine), machine, ctx.Get(term)!);
            return PlanOutput.RunAsync(ctx, plan, ctx.Get(dryRun), ct);
        });
    }

    private static Command Memlock(ShellSession session)
    {
        var name = ConfigVerbs.MachineArgument(session);
        var value = new Argument<string>("VALUE") { Description = "infinity, a size such as 64M, or SOFT:HARD.", DefaultValueFactory = _ => "infinity" };
        var dryRun = ConfigVerbs.DryRunOption();
        var command = new Command("memlock", "Set the memlock limit inside the machine: DefaultLimitMEMLOCK for its systemd and a pam_limits entry for logins.") { name, value, dryRun };
        return command.Handle(session, (ctx, ct) =>
        {
            var machine = MachineName.Validate(ctx.Get(name));
            var plan = ContainerFiles.PlanMemlock(MachineRoot(ctx, machine), machine, ctx.Get(value)!);
            return PlanOutput.RunAsync(ctx, plan, ctx.Get(dryRun), ct);
        });
    }
}
