using System.CommandLine;

namespace NspawnNative.Shell.Commands.SelfTest;

/// <summary>selftest server/client/loopback and limits (issue 6).</summary>
internal sealed class SelfTestVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session) => [];
}
