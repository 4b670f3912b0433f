namespace NspawnNative.Interop.Rdma;

/// <summary>The DeviceAllow= entries (systemd.resource-control(5)) that let a unit use one node.</summary>
/// <param name="PathRule">The rule by path, for example <c>/dev/infiniband/uverbs0 rwm</c>.</param>
/// <param name="ClassRule">The rule by class, for example <c>char-infiniband_verbs rwm</c>; it covers every node
/// of that class, including devices that appear later.</param>
/// <param name="ClassFromProcDevices">True when the class name was read from <c>/proc/devices</c>; false when it
/// is the kernel's usual name for the kind because /proc/devices was unreadable or lacked the major.</param>
public sealed record RdmaDeviceAllow(string PathRule, string ClassRule, bool ClassFromProcDevices);
