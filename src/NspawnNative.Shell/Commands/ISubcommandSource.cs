using System.CommandLine;

namespace NspawnNative.Shell.Commands;

/// <summary>
/// Lets a verb group attach subcommands to a command another group owns (for example 'unit show' under the 'unit'
/// command of the config group, or 'rdma enable' under 'rdma'). The owner asks every group in <see cref="VerbTable"/>
/// that implements this for its subcommands of the parent name.
/// </summary>
internal interface ISubcommandSource
{
    /// <summary>The subcommands this group adds under <paramref name="parent"/> ("unit", "rdma", "container").</summary>
    IEnumerable<Command> CreateSubcommands(string parent, ShellSession session);
}

internal static class SubcommandSources
{
    /// <summary>Creates the parent command with its own subcommands plus those every other group attaches.</summary>
    public static Command Build(ShellSession session, string name, string description, IEnumerable<Command> own)
    {
        var command = new Command(name, description);
        foreach (var sub in own)
            command.Subcommands.Add(sub);
        foreach (var source in VerbTable.Groups.OfType<ISubcommandSource>())
        {
            foreach (var sub in source.CreateSubcommands(name, session))
                command.Subcommands.Add(sub);
        }
        return command;
    }
}
