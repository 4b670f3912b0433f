using System.CommandLine;
using System.Globalization;
using NspawnNative.Interop.Userspace;
using NspawnNative.Interop.Workflows.Doctor;

namespace NspawnNative.Shell.Commands.Container;

/// <summary><c>hugepages [NAME]</c>: the host's hugepages (mount, pools, memlock) and whether a machine sees them.</summary>
internal sealed class HugepagesVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session)
    {
        var name = new Argument<string?>("NAME")
        {
            Description = "A running machine: also check that it sees the hugetlbfs mount and its leader's memlock limit.",
            Arity = ArgumentArity.ZeroOrOne,
        }.CompletesWith(session, "machine");
        var command = new Command("hugepages", "Show the host's hugepages: the /dev/hugepages mount, pages reserved and free per size, the memlock limit.")
        {
            name,
        };
        yield return command.Handle(session, async (ctx, ct) =>
        {
            var machineName = ctx.Get(name);
            DoctorContext context;
            if (machineName is null)
            {
                context = DoctorContext.ForHost(ctx.Paths);
            }
            else
            {
                var machine = MachineLocation.Find(ctx.Paths, machineName);
                context = DoctorContext.ForMachine(ctx.Paths, machine.Name, machine.RootDirectory, machine.LeaderPid);
            }
            var state = HugePages.Read(ctx.Paths);
            var checks = await new HugePagesCheck().RunAsync(context, ct).ConfigureAwait(false);

            if (ctx.Json)
            {
                ctx.Out.Json(new HugePagesView(state.Mount is not null, state, context.MachineName, context.LeaderPid, checks),
                    UserspaceJsonContext.Default.HugePagesView);
                return ExitCodes.Success;
            }
            ctx.Out.Fields(
            [
                ("Mount", state.Mount is null ? $"{HugePages.MountPoint} is not hugetlbfs" : $"{HugePages.MountPoint} hugetlbfs {state.Mount.SuperOptions}"),
                ("Memlock", state.MemlockUnlimited ? "unlimited" : state.MemlockSoftBytes?.ToString(CultureInfo.InvariantCulture) ?? "unknown"),
            ]);
            ctx.Out.Line();
            ctx.Out.Table(["SIZE", "TOTAL", "FREE", "RESERVED", "SURPLUS"],
                state.Pools.Select(p => new[] { $"{p.SizeKb}kB", N(p.Total), N(p.Free), N(p.Reserved), N(p.Surplus) }),
                $"{state.Pools.Count} page sizes listed.");
            ctx.Out.Line();
            foreach (var r in checks)
                ctx.Out.Line($"{r.Status.ToString().ToUpperInvariant()} {r.Check}: {r.Reason}{(r.Fix is null ? "" : " " + r.Fix)}");
            return ExitCodes.Success;
        });
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
