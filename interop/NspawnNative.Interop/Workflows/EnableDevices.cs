using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Workflows;

/// <summary>The device rules and network choice <see cref="RdmaEnable"/> derives from the host's devices.</summary>
/// <param name="Rules">The DeviceAllow entries for our drop-in.</param>
/// <param name="HostNetwork">True when the machine must share the host's network (asked, or a RoCE device chosen).</param>
internal sealed record EnableDevices(IReadOnlyList<DeviceAllowEntry> Rules, bool HostNetwork)
{
    public static EnableDevices Select(HostPaths paths, RdmaEnableOptions options)
    {
        // placeholder until discovery lands
        return new EnableDevices([new DeviceAllowEntry("char-infiniband_verbs", "rwm"), new DeviceAllowEntry("/dev/infiniband/rdma_cm", "rw")], true);
    }
}
