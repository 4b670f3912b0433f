using System.CommandLine;

namespace NspawnNative.Shell.Commands.Hca;

/// <summary>hca list/show/nodes: RDMA discovery from sysfs and /dev (issue 3).</summary>
internal sealed class HcaVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session) => [];
}
