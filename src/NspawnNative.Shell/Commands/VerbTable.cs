namespace NspawnNative.Shell.Commands;

/// <summary>
/// The one table of verb groups. Each group lives in its own folder under Commands/ and owns its verbs'
/// names, aliases, summaries and handlers.
/// </summary>
internal static class VerbTable
{
    public static IReadOnlyList<IVerbGroup> Groups { get; } =
    [
        new CoreVerbs(),
        new Hca.HcaVerbs(),
        new Config.ConfigVerbs(),
        new Machines.MachineVerbs(),
        new Machines.ImageVerbs(),
        new SelfTest.SelfTestVerbs(),
        new Rdma.RdmaVerbs(),
        new Rdma.RdmaEnableVerbs(),
        new Rdma.DoctorVerbs(),
        new Container.ContainerVerbs(),
        new Container.HugepagesVerbs(),
    ];
}
