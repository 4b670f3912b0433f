using System.CommandLine;

namespace NspawnNative.Shell.Commands.Container;

/// <summary>container term/memlock/rdma-userspace (issues 4 and 10).</summary>
internal sealed class ContainerVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session) => [new Command("container", "Inspect what a container needs for RDMA.") { RdmaUserspaceVerb.Create(session) }];
}
