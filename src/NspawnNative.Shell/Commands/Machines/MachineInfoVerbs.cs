using System.CommandLine;
using System.Globalization;
using NspawnNative.Interop;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>list, status and show: what machined knows about running machines.</summary>
internal static class MachineInfoVerbs
{
    public static Command List(ShellSession session)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Also list the host itself ('.host'), as machinectl list --all does." };
        var command = new Command("list", "List the running machines (MACHINE CLASS SERVICE OS VERSION ADDRESSES).") { all };
        command.Handle(session, async (ctx, ct) =>
        {
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            var machines = new MachineManager(bus);
            var rows = new List<MachineRow>();
            foreach (var m in (await machines.ListMachinesAsync(ct)).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                if (m.Name.StartsWith('.') && !ctx.Get(all))
                    continue;
                var props = await TryAsync(() => new Machine(bus, m.ObjectPath, m.Name).GetPropertiesAsync(ct));
                var os = props is null ? null : OsRelease.ReadForLeader(ctx.Paths, props.Leader);
                var addresses = await TryAsync(() => machines.GetMachineAddressesAsync(m.Name, ct)) ?? [];
                rows.Add(new MachineRow(m.Name, m.Class, m.Service, os?.Id, os?.VersionId, addresses.Select(a => a.Address.ToString()).ToList()));
            }
            if (ctx.Json)
            {
                ctx.Out.Json(rows, MachinesJsonContext.Default.ListMachineRow);
                return ExitCodes.Success;
            }
            ctx.Out.Table(["MACHINE", "CLASS", "SERVICE", "OS", "VERSION", "ADDRESSES"],
                rows.Select(r => (IReadOnlyList<string?>)[r.Machine, r.Class, Empty(r.Service), r.Os, r.Version, FirstAddress(r.Addresses)]),
                $"{rows.Count} machine{(rows.Count == 1 ? "" : "s")} listed.");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Status(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session);
        var command = new Command("status", "Show a running machine's state, as machinectl status does.") { name };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            var manager = new MachineManager(bus);
            var p = await (await manager.GetMachineProxyAsync(machineName, ct)).GetPropertiesAsync(ct);
            var os = OsRelease.ReadForLeader(ctx.Paths, p.Leader);
            var addresses = (await TryAsync(() => manager.GetMachineAddressesAsync(machineName, ct)) ?? []).Select(a => a.Address.ToString()).ToList();
            if (ctx.Json)
            {
                ctx.Out.Json(new MachineStatus(p, os?.PrettyName, addresses), MachinesJsonContext.Default.MachineStatus);
                return ExitCodes.Success;
            }
            ctx.Out.Line(p.Id.Length > 0 ? $"{p.Name}({p.Id})" : p.Name);
            ctx.Out.Fields(
            [
                ("Since", p.Timestamp?.ToLocalTime().ToString("ddd yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)),
                ("Leader", p.Leader == 0 ? null : $"{p.Leader}{LeaderComm(ctx.Paths, p.Leader)}"),
                ("Service", $"{p.Service}; class {p.Class}"),
                ("Root", Empty(p.RootDirectory)),
                ("Iface", p.NetworkInterfaces.Count == 0 ? null : string.Join(' ', p.NetworkInterfaces)),
                ("Address", addresses.Count == 0 ? null : string.Join(' ', addresses)),
                ("OS", os?.PrettyName),
                ("State", Empty(p.State)),
                ("Unit", Empty(p.Unit)),
            ], indent: 11);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Show(ShellSession session)
    {
        var name = MachineVerbs.NameArgument(session);
        var property = new Option<string[]>("--property", "-p")
        {
            Description = "Show only these properties (repeat it, or separate names with commas).",
            HelpName = "NAME",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("show", "Show a running machine's properties as NAME=VALUE lines.") { name, property };
        command.Handle(session, async (ctx, ct) =>
        {
            var machineName = MachineVerbs.Name(ctx, name);
            await using var bus = await MachineVerbs.ConnectAsync(ctx, ct);
            var machine = await new MachineManager(bus).GetMachineProxyAsync(machineName, ct);
            var all = await machine.GetAllAsync(ct);
            PropertyPrinter.Print(ctx, all.Select(kv => (kv.Key, kv.Value)), ctx.Get(property));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? Empty(string s) => s.Length == 0 ? null : s;

    private static string FirstAddress(IReadOnlyList<string> addresses) =>
        addresses.Count switch { 0 => "-", 1 => addresses[0], _ => addresses[0] + "…" };

    private static string LeaderComm(HostPaths paths, uint pid)
    {
        try
        {
            return $" ({File.ReadAllText(paths.UnderRoot($"/proc/{pid}/comm")).Trim()})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Optional details (addresses, per-machine properties) must not fail a listing: a machine may go
    /// away between the list and the question, or machined may refuse one of them.</summary>
    private static async Task<T?> TryAsync<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (SystemdException)
        {
            return null;
        }
    }
}
