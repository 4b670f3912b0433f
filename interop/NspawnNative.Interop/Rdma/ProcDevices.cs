using System.Globalization;

namespace NspawnNative.Interop.Rdma;

/// <summary>The "Character devices:" section of <c>/proc/devices</c>: the class names systemd's
/// <c>char-NAME</c> DeviceAllow= entries resolve. One major may carry several names (231: infiniband_mad and
/// infiniband_verbs).</summary>
internal sealed class ProcDevices
{
    private readonly Dictionary<int, List<string>> _names = [];

    public static ProcDevices Parse(string? text)
    {
        var result = new ProcDevices();
        bool inChar = false;
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.EndsWith(':'))
            {
                inChar = line == "Character devices:";
                continue;
            }
            int space = line.IndexOf(' ');
            if (!inChar || space <= 0 || !int.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out int major))
                continue;
            if (!result._names.TryGetValue(major, out var list))
                result._names[major] = list = [];
            list.Add(line[(space + 1)..].Trim());
        }
        return result;
    }

    /// <summary>The class name for a node of <paramref name="kind"/> with <paramref name="major"/>: the kernel's
    /// usual name when /proc/devices lists it for that major, the only name it lists otherwise, or the usual name
    /// (not from /proc/devices) when the major is unknown.</summary>
    public (string Name, bool FromProcDevices) ClassName(RdmaNodeKind kind, int? major)
    {
        var usual = kind switch
        {
            RdmaNodeKind.Verbs => "infiniband_verbs",
            RdmaNodeKind.Umad or RdmaNodeKind.Issm => "infiniband_mad",
            RdmaNodeKind.RdmaCm => "misc",
            _ => null,
        };
        if (major is int m && _names.TryGetValue(m, out var names))
        {
            if (usual is not null && names.Contains(usual))
                return (usual, true);
            if (names.Count == 1)
                return (names[0], true);
        }
        return (usual ?? "infiniband_verbs", false);
    }
}
