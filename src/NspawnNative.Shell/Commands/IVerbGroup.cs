using System.CommandLine;

namespace NspawnNative.Shell.Commands;

/// <summary>One verb or a group of related verbs. <see cref="VerbTable"/> lists every group.</summary>
internal interface IVerbGroup
{
    /// <summary>Creates the group's commands. A handler is attached with <see cref="CommandExtensions.Handle"/>.</summary>
    IEnumerable<Command> Create(ShellSession session);
}
