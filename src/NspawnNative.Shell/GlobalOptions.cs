using System.CommandLine;
using NspawnNative.Interop;

namespace NspawnNative.Shell;

/// <summary>
/// The options every verb accepts. They are recursive, so they may stand before or after the verb; in the
/// REPL and in scripts the values given when the shell started are the defaults for every line.
/// </summary>
internal sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json") { Recursive = true, Description = "Print listings and status as JSON (snake_case fields)." };
    public Option<bool> NoLegend { get; } = new("--no-legend") { Recursive = true, Description = "Omit table headers and footers." };
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Recursive = true, Description = "Log debug messages and show stack traces." };
    public Option<string?> Root { get; } = new("--root") { Recursive = true, Description = "Treat DIR as the filesystem root for every configuration file read or written.", HelpName = "DIR" };
    public Option<string?> SysfsRoot { get; } = new("--sysfs-root") { Recursive = true, Description = "Read devices from this sysfs tree instead of /sys.", HelpName = "DIR" };
    public Option<string?> DevRoot { get; } = new("--dev-root") { Recursive = true, Description = "Read device nodes from this tree instead of /dev.", HelpName = "DIR" };
    public Option<string?> Bus { get; } = new("--bus") { Recursive = true, Description = "D-Bus address to use instead of the system bus.", HelpName = "ADDRESS" };
    public Option<string?> File { get; } = new("--file", "-f") { Description = "Run the commands in FILE, one per line ('#' starts a comment).", HelpName = "FILE" };
    public Option<bool> KeepGoing { get; } = new("--keep-going") { Description = "In a script, go on after a failing command." };

    public IEnumerable<Option> All => [Json, NoLegend, Verbose, Root, SysfsRoot, DevRoot, Bus, File, KeepGoing];

    /// <summary>Combines what a line says with the session's defaults: a line's own option wins.</summary>
    public ShellSettings Resolve(ParseResult parse, ShellSettings defaults)
    {
        T Pick<T>(Option<T> option, T fallback) => parse.GetResult(option) is null ? fallback : parse.GetValue(option)!;

        var root = Pick(Root, (string?)defaults.Paths.Root) ?? "/";
        var sysfs = Pick(SysfsRoot, (string?)defaults.Paths.SysfsRoot) ?? "/sys";
        var dev = Pick(DevRoot, (string?)defaults.Paths.DevRoot) ?? "/dev";
        return new ShellSettings(
            Json: Pick(Json, defaults.Json),
            NoLegend: Pick(NoLegend, defaults.NoLegend),
            Verbose: Pick(Verbose, defaults.Verbose),
            Paths: new HostPaths(Full(root), Full(sysfs), Full(dev)),
            BusAddress: Pick(Bus, defaults.BusAddress));
    }

    private static string Full(string path) => path == "/" ? "/" : Path.GetFullPath(path).TrimEnd('/');
}

/// <summary>The resolved global settings a verb runs with.</summary>
/// <param name="Json">Print JSON instead of tables.</param>
/// <param name="NoLegend">No headers and footers on tables.</param>
/// <param name="Verbose">Debug logging and stack traces.</param>
/// <param name="Paths">The configuration, sysfs and /dev roots.</param>
/// <param name="BusAddress">The D-Bus address, or null for the system bus.</param>
internal sealed record ShellSettings(bool Json, bool NoLegend, bool Verbose, HostPaths Paths, string? BusAddress)
{
    public static ShellSettings Default { get; } = new(false, false, false, HostPaths.Live, null);
}
