using System.Globalization;
using System.Text.RegularExpressions;

namespace NspawnNative.Interop.Rdma;

/// <summary>Reads RDMA devices and their class nodes from sysfs (below <see cref="HostPaths.SysfsRoot"/>).</summary>
internal sealed partial class RdmaSysfsReader(HostPaths paths, SysfsFiles files)
{
    public const string ClassPath = "/sys/class/infiniband";

    public string ClassDirectory => paths.UnderSysfs(ClassPath);

    /// <summary>The device directories in the class directory, skipping dangling links (with a warning).</summary>
    public IReadOnlyList<(string Name, string Dir)> DeviceDirectories()
    {
        var result = new List<(string, string)>();
        foreach (var name in files.Entries(ClassDirectory))
        {
            var dir = Path.Combine(ClassDirectory, name);
            if (files.IsDirectoryOrWarn(dir, "device"))
                result.Add((name, dir));
        }
        return result;
    }

    public RdmaDevice ReadDevice(string name, string dir, RdmaVerbsNode? verbs)
    {
        var (nodeTypeId, nodeType) = NumberedName(Path.Combine(dir, "node_type"), "'N: NAME'");
        var device = Path.Combine(dir, "device");
        string? pci = null, driver = null;
        int? numa = null;
        var netdevs = new List<string>();
        if (Directory.Exists(device))
        {
            var uevent = UeventValues(Path.Combine(device, "uevent"));
            pci = SysfsFiles.LinkTargetName(device) is { } target && PciAddress().IsMatch(target)
                ? target
                : uevent.GetValueOrDefault("PCI_SLOT_NAME");
            driver = SysfsFiles.LinkTargetName(Path.Combine(device, "driver")) ?? uevent.GetValueOrDefault("DRIVER");
            numa = Int(Path.Combine(device, "numa_node")) is { } n && n >= 0 ? n : null;
            netdevs.AddRange(files.Entries(Path.Combine(device, "net")));
        }
        var parent = files.Text(Path.Combine(dir, "parent"));
        if (parent is not null && !netdevs.Contains(parent))
            netdevs.Add(parent);

        return new RdmaDevice(
            name, nodeType, nodeTypeId,
            files.Text(Path.Combine(dir, "node_guid")),
            files.Text(Path.Combine(dir, "sys_image_guid")),
            files.Text(Path.Combine(dir, "fw_ver")),
            files.Text(Path.Combine(dir, "hca_type")),
            files.Text(Path.Combine(dir, "board_id")),
            files.Text(Path.Combine(dir, "hw_rev")),
            files.Text(Path.Combine(dir, "node_desc")),
            ReadPorts(Path.Combine(dir, "ports")),
            verbs, pci, numa, netdevs, driver, parent, dir);
    }

    private List<RdmaPort> ReadPorts(string portsDir)
    {
        var ports = new List<RdmaPort>();
        foreach (var entry in files.Entries(portsDir))
        {
            var dir = Path.Combine(portsDir, entry);
            if (!int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || !files.IsDirectoryOrWarn(dir, "port"))
                continue;
            ports.Add(ReadPort(number, dir));
        }
        ports.Sort((a, b) => a.Port.CompareTo(b.Port));
        return ports;
    }

    private RdmaPort ReadPort(int number, string dir)
    {
        var (stateId, state) = NumberedName(Path.Combine(dir, "state"), "'N: STATE'");
        var (physId, phys) = NumberedName(Path.Combine(dir, "phys_state"), "'N: STATE'");

        var ratePath = Path.Combine(dir, "rate");
        var rateText = files.Text(ratePath);
        double? rate = null;
        if (rateText is not null)
        {
            if (RdmaSysfsParse.TryRate(rateText, out var gbps))
                rate = gbps;
            else
                files.Unparsed(ratePath, rateText, "a rate such as '100 Gb/sec (4X EDR)'");
        }

        var gids = ReadGids(dir);
        var gid0 = Path.Combine(dir, "gids", "0");
        var gid0Text = gids.FirstOrDefault(g => g.Index == 0)?.Gid ?? files.Text(gid0, warnOnError: false);
        string? portGuid = gid0Text is not null && RdmaSysfsParse.IsGid(gid0Text) ? RdmaSysfsParse.PortGuid(gid0Text) : null;

        return new RdmaPort(
            number, state, stateId, phys, physId, rate, rateText,
            (int?)Number(Path.Combine(dir, "lid")),
            (int?)Number(Path.Combine(dir, "sm_lid")),
            (int?)Number(Path.Combine(dir, "lid_mask_count")),
            Number(Path.Combine(dir, "cap_mask")),
            files.Text(Path.Combine(dir, "link_layer")),
            portGuid, gids, ReadCounters(Path.Combine(dir, "counters")));
    }

    private List<RdmaGid> ReadGids(string portDir)
    {
        var gidsDir = Path.Combine(portDir, "gids");
        var result = new List<RdmaGid>();
        foreach (var entry in files.Entries(gidsDir))
        {
            if (!int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                continue;
            var path = Path.Combine(gidsDir, entry);
            var gid = files.Text(path);
            if (gid is null)
                continue;
            if (!RdmaSysfsParse.IsGid(gid))
            {
                files.Unparsed(path, gid, "a GID of eight 4-digit hex groups");
                continue;
            }
            if (RdmaSysfsParse.IsUnusedGid(gid))
                continue;
            // ndevs gives EINVAL on InfiniBand ports for every entry: no netdev there is normal, not a warning.
            result.Add(new RdmaGid(
                index, gid,
                files.Text(Path.Combine(portDir, "gid_attrs", "types", entry)),
                files.Text(Path.Combine(portDir, "gid_attrs", "ndevs", entry), warnOnError: false)));
        }
        result.Sort((a, b) => a.Index.CompareTo(b.Index));
        return result;
    }

    // TODO (discovery): hw_counters/ (driver-specific) is not read; nothing asks for it yet.
    private RdmaPortCounters? ReadCounters(string dir)
    {
        if (!Directory.Exists(dir))
            return null;
        var values = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var entry in files.Entries(dir))
        {
            var path = Path.Combine(dir, entry);
            var text = files.Text(path);
            if (text is null)
                continue;
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                values[entry] = v;
            else
                files.Unparsed(path, text, "a counter value");
        }
        return new RdmaPortCounters(values);
    }

    /// <summary>The character devices sysfs announces: uverbs (class directory, or per device when the class
    /// directory is absent), umad and issm, and rdma_cm.</summary>
    public List<RdmaClassNode> ReadClassNodes(IReadOnlyList<(string Name, string Dir)> devices)
    {
        var nodes = new List<RdmaClassNode>();
        ReadClass(paths.UnderSysfs("/sys/class/infiniband_verbs"), "infiniband_verbs", devices, nodes);
        ReadClass(paths.UnderSysfs("/sys/class/infiniband_mad"), "infiniband_mad", devices, nodes);

        var cmDir = paths.UnderSysfs("/sys/class/misc/rdma_cm");
        if (files.IsDirectoryOrWarn(cmDir, "class node"))
        {
            var (major, minor) = Dev(Path.Combine(cmDir, "dev"));
            nodes.Add(new RdmaClassNode(RdmaNodeKind.RdmaCm, "rdma_cm", null, null, major, minor, null, cmDir));
        }
        return nodes;
    }

    private void ReadClass(string classDir, string className, IReadOnlyList<(string Name, string Dir)> devices, List<RdmaClassNode> nodes)
    {
        // Hosts without the class directory still have the nodes below each PCI device.
        var dirs = Directory.Exists(classDir)
            ? [classDir]
            : devices.Select(d => Path.Combine(d.Dir, "device", className)).Where(Directory.Exists).ToList();
        foreach (var parent in dirs)
        {
            foreach (var entry in files.Entries(parent))
            {
                var kind = KindOf(entry);
                var dir = Path.Combine(parent, entry);
                if (kind == RdmaNodeKind.Other || nodes.Any(n => n.Name == entry) || !files.IsDirectoryOrWarn(dir, "class node"))
                    continue;
                var (major, minor) = Dev(Path.Combine(dir, "dev"));
                var ibdev = files.Text(Path.Combine(dir, "ibdev"));
                if (ibdev is null)
                    files.Warn($"Class node '{dir}' names no device in its 'ibdev' file; it is listed without one.");
                int? port = kind == RdmaNodeKind.Verbs ? null : Int(Path.Combine(dir, "port"));
                int? abi = kind == RdmaNodeKind.Verbs ? Int(Path.Combine(dir, "abi_version")) : null;
                nodes.Add(new RdmaClassNode(kind, entry, ibdev, port, major, minor, abi, dir));
            }
        }
    }

    /// <summary>The kind of a node from its name: uverbsN, umadN, issmN, rdma_cm.</summary>
    public static RdmaNodeKind KindOf(string name) =>
        name == "rdma_cm" ? RdmaNodeKind.RdmaCm
        : VerbsName().IsMatch(name) ? RdmaNodeKind.Verbs
        : UmadName().IsMatch(name) ? RdmaNodeKind.Umad
        : IssmName().IsMatch(name) ? RdmaNodeKind.Issm
        : RdmaNodeKind.Other;

    private (int? Id, string? Name) NumberedName(string path, string expected)
    {
        var text = files.Text(path);
        if (text is null)
            return (null, null);
        if (RdmaSysfsParse.TryNumberedName(text, out int id, out string name))
            return (id, name);
        files.Unparsed(path, text, expected);
        return (null, null);
    }

    private uint? Number(string path)
    {
        var text = files.Text(path);
        if (text is null)
            return null;
        if (RdmaSysfsParse.TryNumber(text, out uint value))
            return value;
        files.Unparsed(path, text, "a number");
        return null;
    }

    private int? Int(string path)
    {
        var text = files.Text(path);
        if (text is null)
            return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            return value;
        files.Unparsed(path, text, "a number");
        return null;
    }

    private (int? Major, int? Minor) Dev(string path)
    {
        var text = files.Text(path);
        if (text is null)
            return (null, null);
        if (RdmaSysfsParse.TryDev(text, out int major, out int minor))
            return (major, minor);
        files.Unparsed(path, text, "'MAJOR:MINOR'");
        return (null, null);
    }

    private Dictionary<string, string> UeventValues(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (files.Text(path) ?? "").Split('\n'))
        {
            int eq = line.IndexOf('=');
            if (eq > 0)
                values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        return values;
    }

    [GeneratedRegex(@"^[0-9a-f]{4,}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$")]
    private static partial Regex PciAddress();

    [GeneratedRegex(@"^uverbs[0-9]+$")]
    private static partial Regex VerbsName();

    [GeneratedRegex(@"^umad[0-9]+$")]
    private static partial Regex UmadName();

    [GeneratedRegex(@"^issm[0-9]+$")]
    private static partial Regex IssmName();
}
