using System.CommandLine;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop;
using NspawnNative.Interop.Systemd;
using NspawnNative.Interop.Workflows.Doctor;
using NspawnNative.Shell.Commands.Machines;

namespace NspawnNative.Shell.Commands.Rdma;

/// <summary>doctor [NAME] [--selftest]: every link of the RDMA chain, one line each, with the fix for what fails.</summary>
internal sealed class DoctorVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session)
    {
        var name = new Argument<string?>("NAME") { Description = "The machine to check; only the host when omitted.", Arity = ArgumentArity.ZeroOrOne }
            .CompletesWith(session, "machine");
        var selftest = new Option<bool>("--selftest") { Description = "Also run a ping-pong from inside the machine (through its own systemd) against a server on the host." };
        var command = new Command("doctor",
            "Check the host, a machine's configuration and the running machine for RDMA; one line per check " +
            "(ok, warn, fail) with the reason and the fix. Exit status 1 when a check fails.")
        {
            name, selftest,
        };
        return [command.Handle(session, async (ctx, ct) =>
        {
            var machine = ctx.Get(name) is { } n ? MachineName.Validate(n) : null;
            if (ctx.Get(selftest) && machine is null)
                throw new UsageException("--selftest needs a machine name.");
            var report = await RunAsync(ctx, new DoctorRequest(machine, ctx.Get(selftest), SelfTestClient()), ct).ConfigureAwait(false);
            Print(ctx, report);
            return report.Failed ? ExitCodes.Failure : ExitCodes.Success;
        })];
    }

    /// <summary>Runs doctor with the system bus when a machine on the live system is examined (no bus is not an error).</summary>
    internal static async Task<DoctorReport> RunAsync(VerbContext ctx, DoctorRequest request, CancellationToken ct)
    {
        SystemdBus? bus = null;
        // Only a machine's checks need systemd: the host's are read from sysfs and /dev.
        if (ctx.Paths.IsLiveRoot && request.Machine is not null)
        {
            try
            {
                bus = await MachineVerbs.ConnectAsync(ctx, ct).ConfigureAwait(false);
            }
            catch (BusUnavailableException e)
            {
                ctx.Log.LogBusMissing(e.Message.TrimEnd('.'));
            }
        }
        await using (bus)
        {
            var doctor = new Doctor(ctx.Paths, bus, ctx.Loggers.CreateLogger<Doctor>());
            return await doctor.RunAsync(request, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Prints the report: JSON, or one line per check.</summary>
    internal static void Print(VerbContext ctx, DoctorReport report)
    {
        if (ctx.Json)
        {
            ctx.Out.Json(DoctorJson.From(report), DoctorJsonContext.Readable.DoctorJson);
            return;
        }
        var width = report.Results.Count == 0 ? 0 : report.Results.Max(r => r.Check.Length);
        foreach (var r in report.Results)
            ctx.Out.Line($"{DoctorJson.StatusWord(r.Status, shortForm: true),-4}  {r.Check.PadRight(width)}  {r.Reason}" +
                         (r.Fix is null ? "" : $"  (fix: {r.Fix})"));
        if (!ctx.Out.NoLegend)
        {
            var counts = report.Results.GroupBy(r => r.Status).OrderBy(g => g.Key)
                .Select(g => $"{g.Count()} {DoctorJson.StatusWord(g.Key, shortForm: false)}");
            ctx.Out.Line($"{report.Results.Count} checks: {string.Join(", ", counts)}.");
        }
    }

    /// <summary>This very binary, when it is a standalone nspawn-native (not the dotnet host running a DLL).</summary>
    private static string? SelfTestClient() =>
        Environment.ProcessPath is { } path && Path.GetFileName(path) == "nspawn-native" ? path : null;
}
