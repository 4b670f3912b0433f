namespace NspawnNative.Interop.Workflows;

/// <summary>The choices of <see cref="RdmaEnable"/>.</summary>
/// <param name="HostNetwork">Share the host's network (<c>VirtualEthernet=no</c>) even without a RoCE device.</param>
/// <param name="Devices">The RDMA devices to give the machine by name (path rules for their nodes), or null for every
/// device (the <c>char-infiniband_verbs</c> class rule, which also covers nodes created after the start).</param>
/// <param name="Umad">Also allow the umad nodes of the chosen devices (MAD access for diagnostics such as ibstat).</param>
/// <param name="Issm">Also allow the issm nodes (the power to act as subnet manager; only when asked).</param>
/// <param name="Restart">Restart the machine when it runs and something changed, so that the changes take effect.</param>
/// <param name="RestartTimeout">How long the restart may take; null for two minutes.</param>
public sealed record RdmaEnableOptions(
    bool HostNetwork = false,
    IReadOnlyList<string>? Devices = null,
    bool Umad = false,
    bool Issm = false,
    bool Restart = true,
    TimeSpan? RestartTimeout = null)
{
    /// <summary>The restart time-out to use.</summary>
    public TimeSpan EffectiveRestartTimeout => RestartTimeout ?? TimeSpan.FromMinutes(2);
}

/// <summary>The choices of <see cref="RdmaDisable"/>.</summary>
/// <param name="Restart">Restart the machine when it runs and something changed.</param>
/// <param name="RestartTimeout">How long the restart may take; null for two minutes.</param>
public sealed record RdmaDisableOptions(bool Restart = true, TimeSpan? RestartTimeout = null)
{
    /// <summary>The restart time-out to use.</summary>
    public TimeSpan EffectiveRestartTimeout => RestartTimeout ?? TimeSpan.FromMinutes(2);
}
