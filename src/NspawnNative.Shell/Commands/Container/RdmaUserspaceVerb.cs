using System.CommandLine;
using NspawnNative.Interop.Userspace;
using NspawnNative.Interop.Workflows.Doctor;

namespace NspawnNative.Shell.Commands.Container;

/// <summary><c>container rdma-userspace NAME</c>: the host's and a container's RDMA userspace side by side.</summary>
internal static class RdmaUserspaceVerb
{
    public static Command Create(ShellSession session)
    {
        var name = new Argument<string>("NAME") { Description = "The machine whose root directory is read." }.CompletesWith(session, "machine");
        var command = new Command("rdma-userspace",
            "Compare the container's RDMA userspace (libibverbs, providers, packages) with the host's; exit 1 when a mismatch breaks verbs.")
        {
            name,
        };
        return command.Handle(session, (ctx, ct) =>
        {
            ct.ThrowIfCancellationRequested();
            var machine = MachineLocation.Find(ctx.Paths, ctx.Get(name)!);
            if (!Directory.Exists(machine.RootDirectory))
                throw new CommandFailedException($"Machine '{machine.Name}' has no root directory '{machine.RootDirectory}'; give the name of a directory image.");
            var comparison = UserspaceComparison.Compare(
                RdmaUserspaceReader.Read(ctx.Paths.Root), RdmaUserspaceReader.Read(machine.RootDirectory), HcaDrivers.Read(ctx.Paths));

            if (ctx.Json)
            {
                ctx.Out.Json(new RdmaUserspaceView(machine.Name, machine.RootDirectory, !comparison.HasMismatchThatMatters,
                    comparison.Host, comparison.Container, comparison.Hcas, comparison.Mismatches, UserspaceCheck.ToResults(comparison)),
                    UserspaceJsonContext.Default.RdmaUserspaceView);
            }
            else
            {
                Print(ctx, machine.Name, comparison);
            }

            if (comparison.Mismatches.FirstOrDefault(m => m.Matters) is { } first)
                throw new CommandFailedException($"The RDMA userspace of machine '{machine.Name}' does not fit the host: {Clause(first.Reason)}; {Clause(first.Fix)}.");
            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static void Print(VerbContext ctx, string machine, UserspaceComparison c)
    {
        var rows = new List<string?[]>
        {
            new[] { "libibverbs", Describe(c.Host.Libibverbs), Describe(c.Container.Libibverbs) },
        };
        foreach (var package in c.Host.Packages.Select(p => p.Name).Union(c.Container.Packages.Select(p => p.Name)))
        {
            rows.Add([$"package {package}",
                c.Host.Packages.FirstOrDefault(p => p.Name == package)?.Version ?? "missing",
                c.Container.Packages.FirstOrDefault(p => p.Name == package)?.Version ?? "missing"]);
        }
        if (c.Host.Vendor is not null || c.Container.Vendor is not null)
            rows.Add(["vendor stack", Describe(c.Host.Vendor), Describe(c.Container.Vendor)]);
        foreach (var row in c.Hcas)
        {
            rows.Add([$"{row.Hca.Device} ({row.Hca.KernelDriver ?? "unknown driver"}) provider {row.Hca.Provider ?? "unknown"}",
                Describe(row.Host), Describe(row.Container)]);
        }
        ctx.Out.Table(["ITEM", "HOST", $"CONTAINER {machine}"], rows,
            c.Mismatches.Count == 0 ? "No mismatches." : $"{c.Mismatches.Count} mismatches, {c.Mismatches.Count(m => m.Matters)} that break verbs.");
        foreach (var m in c.Mismatches)
            ctx.Out.Line($"{(m.Matters ? "FAIL" : "WARN")} {m.Subject}: {m.Reason} {m.Fix}");
    }

    private static string Describe(LibibverbsInfo? v) =>
        v is null ? "missing" : $"{v.Version ?? Path.GetFileName(v.Path)} (provider ABI {v.ProviderAbi?.ToString() ?? "?"})";

    private static string Describe(ProviderInfo? p) =>
        p?.Library is null ? "missing" : $"{Path.GetFileName(p.Library)}{(p.Package is { } pkg ? $" ({pkg.Name} {pkg.Version})" : "")}{(p.DriverFile is null ? " no .driver file" : "")}";

    // Joins two sentences into one: "The x." -> "the x".
    private static string Clause(string sentence) =>
        sentence.Length == 0 ? sentence : char.ToLowerInvariant(sentence[0]) + sentence[1..].TrimEnd('.');

    private static string Describe(VendorStack? v) => v is null ? "none" : $"{v.Name} {v.Version}";
}
