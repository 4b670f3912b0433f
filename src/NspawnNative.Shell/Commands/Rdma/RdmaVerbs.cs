using System.CommandLine;

namespace NspawnNative.Shell.Commands.Rdma;

/// <summary>rdma enable/disable and doctor (issue 8).</summary>
internal sealed class RdmaVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session) => [];
}
