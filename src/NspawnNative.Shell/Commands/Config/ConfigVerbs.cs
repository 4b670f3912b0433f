using System.CommandLine;
using NspawnNative.Interop;
using NspawnNative.Interop.Config;
using NspawnNative.Interop.Workflows;
using NspawnNative.Shell.Output;

namespace NspawnNative.Shell.Commands.Config;

/// <summary>nspawn show/validate/set/add/unset and unit dropins (issue 4).</summary>
internal sealed class ConfigVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session) =>
    [
        new Command("nspawn", "Read, check and edit a machine's .nspawn settings file.")
        {
            Show(session), Validate(session),
            Edit(session, NspawnEditKind.Set, "set", "Set a setting to one value (Section.Key=VALUE), replacing earlier ones."),
            Edit(session, NspawnEditKind.Add, "add", "Append a value to a list setting (Section.Key=VALUE), unless present."),
            Edit(session, NspawnEditKind.Unset, "unset", "Remove a setting (Section.Key), or one value of it (Section.Key=VALUE)."),
        },
        CreateUnitCommand(session),
    ];

    /// <summary>The 'unit' command: 'unit dropins' here, plus what other groups attach (see
    /// <see cref="ISubcommandSource"/>, parent "unit").</summary>
    public static Command CreateUnitCommand(ShellSession session) =>
        SubcommandSources.Build(session, "unit", "Inspect systemd units of machines.", [DropIns(session)]);

    internal static Argument<string> MachineArgument(ShellSession session) =>
        new Argument<string>("NAME") { Description = "The machine name." }.CompletesWith(session, "machine");

    private static Command Show(ShellSession session)
    {
        var name = MachineArgument(session);
        var command = new Command("show", "Show the effective .nspawn file of a machine, whether it is trusted, its settings and findings.") { name };
        return command.Handle(session, (ctx, ct) =>
        {
            var file = NspawnSettingsFile.Load(ctx.Paths, ctx.Get(name)!);
            var settings = file.Settings;
            if (ctx.Json)
            {
                ctx.Out.Json(new NspawnShowJson(file.Location.Machine, file.Location.Path, file.Location.IsTrusted, file.Location.Candidates,
                    settings.Select(s => new SettingJson(s.Section, s.Name, s.Values, s.IsIgnored, s.Known is not null)).ToList(),
                    Diagnostics(file.Diagnostics)), ConfigJsonContext.Default.NspawnShowJson);
                return Task.FromResult(ExitCodes.Success);
            }
            ctx.Out.Fields(
            [
                ("Machine", file.Location.Machine),
                ("File", file.Location.Path ?? $"none (looked at {string.Join(", ", file.Location.Candidates)})"),
                ("Trusted", file.Location.Path is null ? null : file.Location.IsTrusted ? "yes" : "no (privileged settings are ignored)"),
            ]);
            if (settings.Count > 0)
            {
                ctx.Out.Line();
                ctx.Out.Table(["SECTION", "KEY", "VALUE", "NOTE"],
                    settings.SelectMany(s => (s.Values.Count == 0 ? [""] : s.Values).Select(v => (IReadOnlyList<string?>)
                        [s.Section, s.Name, v, s.Known is null ? "unknown, ignored" : s.IsIgnored ? "privileged, ignored" : ""])),
                    $"{settings.Count} settings.");
            }
            PrintDiagnostics(ctx, file.Diagnostics);
            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static Command Validate(ShellSession session)
    {
        var target = new Argument<string>("NAME|FILE") { Description = "A machine name, or the path of a .nspawn file." }.CompletesWith(session, "machine");
        var command = new Command("validate", "Check a .nspawn file against systemd.nspawn(5); exits 1 when it has errors.") { target };
        return command.Handle(session, (ctx, ct) =>
        {
            var arg = ctx.Get(target)!;
            var file = arg.Contains('/') || (arg.EndsWith(".nspawn", StringComparison.Ordinal) && File.Exists(arg))
                ? NspawnSettingsFile.LoadFile(arg)
                : NspawnSettingsFile.Load(ctx.Paths, arg);
            if (file.Location.Path is null)
                throw new InvalidInputException($"Machine '{arg}' has no .nspawn file (looked at {string.Join(", ", file.Location.Candidates.Select(c => $"'{c}'"))}); nothing to validate.");
            int errors = file.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            int warnings = file.Diagnostics.Count - errors;
            if (ctx.Json)
                ctx.Out.Json(new ValidateJson(file.Location.Path, file.Location.IsTrusted, errors, warnings, Diagnostics(file.Diagnostics)), ConfigJsonContext.Default.ValidateJson);
            else
            {
                foreach (var d in file.Diagnostics)
                    ctx.Out.Line(d.ToString());
                ctx.Out.Line($"{file.Location.Path}: {errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}.");
            }
            if (errors > 0)
                throw new CommandFailedException("");
            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static Command Edit(ShellSession session, NspawnEditKind kind, string verb, string description)
    {
        var name = MachineArgument(session);
        var settings = new Argument<string[]>("Section.Key[=VALUE]") { Arity = ArgumentArity.OneOrMore, Description = "Settings, for example Exec.LimitMEMLOCK=infinity." };
        var dryRun = DryRunOption();
        var command = new Command(verb, description) { name, settings, dryRun };
        return command.Handle(session, (ctx, ct) =>
        {
            var machine = MachineName.Validate(ctx.Get(name));
            var edits = (ctx.Get(settings) ?? []).Select(s => NspawnEdit.Parse(kind, s)).ToList();
            var plan = NspawnEditPlanner.Plan(ctx.Paths, machine, $"nspawn {verb} for '{machine}'", edits);
            return PlanOutput.RunAsync(ctx, plan, ctx.Get(dryRun), ct);
        });
    }

    private static Command DropIns(ShellSession session)
    {
        var name = MachineArgument(session);
        var command = new Command("dropins", "Show systemd-nspawn@NAME.service's unit file, its drop-ins in order, and the effective DeviceAllow, DevicePolicy and LimitMEMLOCK.") { name };
        return command.Handle(session, (ctx, ct) =>
        {
            var view = UnitDropInView.Load(ctx.Paths, ctx.Get(name)!);
            var diagnostics = view.Diagnostics.ToList();
            if (ctx.Json)
            {
                ctx.Out.Json(new DropInsJson(view.Unit, view.UnitFile?.Path, view.DropIns.Select(d => d.Path).ToList(),
                    view.DeviceAllow.Select(d => d.ToString()).ToList(), view.DevicePolicy, view.LimitMemlock, Diagnostics(diagnostics)),
                    ConfigJsonContext.Default.DropInsJson);
                return Task.FromResult(ExitCodes.Success);
            }
            ctx.Out.Fields(
            [
                ("Unit", view.Unit),
                ("Unit file", view.UnitFile?.Path ?? "none found"),
                ("Drop-ins", view.DropIns.Count == 0 ? "none" : string.Join("\n" + new string(' ', 14), view.DropIns.Select(d => d.Path))),
                ("DevicePolicy", view.DevicePolicy),
                ("LimitMEMLOCK", view.LimitMemlock ?? "not set (the manager's DefaultLimitMEMLOCK applies)"),
            ]);
            ctx.Out.Line();
            ctx.Out.Table(["DEVICE", "ACCESS"], view.DeviceAllow.Select(d => (IReadOnlyList<string?>)[d.Device, d.Access]),
                $"{view.DeviceAllow.Count} DeviceAllow entries.");
            PrintDiagnostics(ctx, diagnostics);
            return Task.FromResult(ExitCodes.Success);
        });
    }

    internal static Option<bool> DryRunOption() => new("--dry-run") { Description = "Print the changes as a unified diff and write nothing." };

    private static List<DiagnosticJson> Diagnostics(IEnumerable<ConfigDiagnostic> diagnostics) =>
        diagnostics.Select(d => new DiagnosticJson(d.File, d.Line, d.Column, d.Severity.ToString().ToLowerInvariant(), d.Message)).ToList();

    private static void PrintDiagnostics(VerbContext ctx, IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        if (diagnostics.Count == 0)
            return;
        ctx.Out.Line();
        foreach (var d in diagnostics)
            ctx.Out.Line(d.ToString());
    }
}
