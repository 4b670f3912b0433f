using System.CommandLine;

namespace NspawnNative.Shell.Commands.Config;

/// <summary>nspawn show/validate/set/add/unset, unit dropins, rdma profile (issue 4).</summary>
internal sealed class ConfigVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session) => [];
}
