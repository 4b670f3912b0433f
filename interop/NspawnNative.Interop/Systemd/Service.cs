using NspawnNative.Interop.Posix;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// The properties of a service unit on <c>org.freedesktop.systemd1.Service</c> that matter for an RDMA machine.
/// </summary>
/// <param name="MainPid">The main process (for systemd-nspawn@.service, nspawn itself), or 0.</param>
/// <param name="LimitMemlock">LimitMEMLOCK (hard) and LimitMEMLOCKSoft; UINT64_MAX is infinity.</param>
/// <param name="DeviceAllow">The device rules, in order.</param>
/// <param name="DevicePolicy">"auto", "closed" or "strict".</param>
public sealed record ServiceProperties(uint MainPid, ResourceLimit LimitMemlock, IReadOnlyList<DeviceAllowEntry> DeviceAllow,
    string DevicePolicy)
{
    /// <summary>The D-Bus interface of service units.</summary>
    public const string Interface = "org.freedesktop.systemd1.Service";

    internal static ServiceProperties From(IReadOnlyDictionary<string, VariantValue> p)
    {
        var rules = new List<DeviceAllowEntry>();
        if (p.TryGetValue("DeviceAllow", out var d) && d.Type == VariantValueType.Array)
        {
            for (int i = 0; i < d.Count; i++)
            {
                var entry = d.GetItem(i);
                rules.Add(new DeviceAllowEntry(entry.GetItem(0).GetString(), entry.GetItem(1).GetString()));
            }
        }
        return new ServiceProperties(
            PropertyValues.UInt32(p, "MainPID"),
            new ResourceLimit(PropertyValues.UInt64(p, "LimitMEMLOCKSoft"), PropertyValues.UInt64(p, "LimitMEMLOCK")),
            rules,
            PropertyValues.String(p, "DevicePolicy"));
    }
}
