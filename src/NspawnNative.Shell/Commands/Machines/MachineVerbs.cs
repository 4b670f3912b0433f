using System.CommandLine;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>machinectl verbs, images, imports, units, device allow, memlock (issue 5).</summary>
internal sealed class MachineVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session) => [];
}
