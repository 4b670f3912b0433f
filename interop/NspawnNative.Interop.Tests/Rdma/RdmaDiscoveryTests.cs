using NspawnNative.Interop.Rdma;

namespace NspawnNative.Interop.Tests.Rdma;

public class RdmaDiscoveryTests
{
    private const string Ib = "sys/class/infiniband";

    private static TempTree RoceDevice(TempTree t, string name = "rxe0")
    {
        var d = $"{Ib}/{name}";
        t.File($"{d}/node_type", "1: CA\n")
         .File($"{d}/node_guid", "5054:00ff:fe12:3456\n")
         .File($"{d}/sys_image_guid", "5054:00ff:fe12:3456\n")
         .File($"{d}/fw_ver", "\n")
         .File($"{d}/parent", "eth0\n")
         .File($"{d}/ports/1/state", "4: ACTIVE\n")
         .File($"{d}/ports/1/phys_state", "5: LinkUp\n")
         .File($"{d}/ports/1/rate", "10 Gb/sec (4X SDR)\n")
         .File($"{d}/ports/1/lid", "0x0\n")
         .File($"{d}/ports/1/sm_lid", "0x0\n")
         .File($"{d}/ports/1/lid_mask_count", "0\n")
         .File($"{d}/ports/1/cap_mask", "0x00890000\n")
         .File($"{d}/ports/1/link_layer", "Ethernet\n")
         .File($"{d}/ports/1/gids/0", "fe80:0000:0000:0000:5054:00ff:fe12:3456\n")
         .File($"{d}/ports/1/gids/1", "fe80:0000:0000:0000:5054:00ff:fe12:3456\n")
         .File($"{d}/ports/1/gids/2", "0000:0000:0000:0000:0000:ffff:c0a8:7a0b\n")
         .File($"{d}/ports/1/gids/3", "0000:0000:0000:0000:0000:0000:0000:0000\n")
         .File($"{d}/ports/1/gid_attrs/types/0", "IB/RoCE v1\n")
         .File($"{d}/ports/1/gid_attrs/types/1", "RoCE v2\n")
         .File($"{d}/ports/1/gid_attrs/types/2", "RoCE v2\n")
         .File($"{d}/ports/1/gid_attrs/ndevs/0", "eth0\n")
         .File($"{d}/ports/1/gid_attrs/ndevs/1", "eth0\n")
         .File($"{d}/ports/1/gid_attrs/ndevs/2", "eth0\n");
        return t;
    }

    [Fact]
    public void A_soft_roce_device_reads_as_ibv_devinfo_shows_it()
    {
        using var t = RoceDevice(new TempTree());
        var s = RdmaDiscovery.Discover(t.Paths);
        var d = Assert.Single(s.Devices);
        Assert.Equal("rxe0", d.Name);
        Assert.Equal(("CA", 1), (d.NodeType, d.NodeTypeId));
        Assert.Equal("5054:00ff:fe12:3456", d.NodeGuid);
        Assert.Null(d.FwVer);
        Assert.Null(d.HcaType);
        Assert.Null(d.PciAddress);
        Assert.Null(d.Driver);
        Assert.Equal("eth0", d.Parent);
        Assert.Equal(["eth0"], d.Netdevs);
        var p = Assert.Single(d.Ports);
        Assert.Equal((1, "ACTIVE", 4, "LinkUp", 5), (p.Port, p.State, p.StateId, p.PhysState, p.PhysStateId));
        Assert.Equal(10, p.RateGbps);
        Assert.Equal((0, 0, 0), (p.Lid, p.SmLid, p.Lmc));
        Assert.Equal(0x00890000u, p.CapMask);
        Assert.Equal("0x505400fffe123456", p.PortGuid);
        Assert.Equal([0, 1, 2], p.Gids.Select(g => g.Index));
        Assert.Equal(["IB/RoCE v1", "RoCE v2", "RoCE v2"], p.Gids.Select(g => g.Type));
        Assert.All(p.Gids, g => Assert.Equal("eth0", g.Netdev));
        Assert.Null(d.Verbs);
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void A_dangling_class_link_is_skipped_with_a_warning_and_the_others_are_listed()
    {
        using var t = RoceDevice(new TempTree());
        t.Link($"{Ib}/mlx5_9", "../../devices/pci0000:00/gone/infiniband/mlx5_9");
        var s = RdmaDiscovery.Discover(t.Paths);
        Assert.Equal(["rxe0"], s.Devices.Select(d => d.Name));
        var w = Assert.Single(s.Warnings);
        Assert.Contains("mlx5_9", w);
        Assert.Contains("dangling", w);
    }

    [Fact]
    public void An_unreadable_rate_and_unparsable_state_are_null_with_a_warning_naming_the_file()
    {
        using var t = RoceDevice(new TempTree());
        // A directory where the file should be fails to read, as rate does with EINVAL when no cable is plugged.
        File.Delete(Path.Combine(t.Dir, $"{Ib}/rxe0/ports/1/rate"));
        t.Mkdir($"{Ib}/rxe0/ports/1/rate");
        t.File($"{Ib}/rxe0/ports/1/state", "ACTIVE\n");
        var s = RdmaDiscovery.Discover(t.Paths);
        var p = Assert.Single(Assert.Single(s.Devices).Ports);
        Assert.Null(p.RateGbps);
        Assert.Null(p.RateText);
        Assert.Null(p.StateId);
        Assert.Equal(5, p.PhysStateId);
        Assert.Equal(2, s.Warnings.Count);
        Assert.Contains(s.Warnings, w => w.Contains("ports/1/rate'", StringComparison.Ordinal));
        Assert.Contains(s.Warnings, w => w.Contains("ports/1/state'", StringComparison.Ordinal) && w.Contains("'ACTIVE'", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_without_final_newline_or_with_a_stray_blank_line_is_trimmed()
    {
        using var t = RoceDevice(new TempTree());
        t.File($"{Ib}/rxe0/node_guid", "0a7f:bc12:45ef:d23b");
        t.File($"{Ib}/rxe0/ports/1/link_layer", "Ethernet\n\n");
        var d = Assert.Single(RdmaDiscovery.Discover(t.Paths).Devices);
        Assert.Equal("0a7f:bc12:45ef:d23b", d.NodeGuid);
        Assert.Equal("Ethernet", d.Ports[0].LinkLayer);
    }

    [Fact]
    public void Uverbs_nodes_map_to_devices_by_ibdev_not_by_number()
    {
        using var t = RoceDevice(RoceDevice(new TempTree(), "mlx5_0"), "mlx5_1");
        t.File("sys/class/infiniband_verbs/abi_version", "6\n")
         .File("sys/class/infiniband_verbs/uverbs0/ibdev", "mlx5_1\n")
         .File("sys/class/infiniband_verbs/uverbs0/dev", "231:192\n")
         .File("sys/class/infiniband_verbs/uverbs0/abi_version", "1\n")
         .File("sys/class/infiniband_verbs/uverbs1/ibdev", "mlx5_0\n")
         .File("sys/class/infiniband_verbs/uverbs1/dev", "231:193\n");
        var s = RdmaDiscovery.Discover(t.Paths);
        Assert.Equal("uverbs1", s.Find("mlx5_0")!.Verbs!.Name);
        Assert.Equal("231:193", s.Find("mlx5_0")!.Verbs!.Dev);
        Assert.Equal("uverbs0", s.Find("mlx5_1")!.Verbs!.Name);
        Assert.Equal(1, s.Find("mlx5_1")!.Verbs!.AbiVersion);
    }

    [Fact]
    public void Without_the_class_directory_uverbs_nodes_are_found_below_the_pci_device()
    {
        using var t = new TempTree();
        RoceDevice(t, "mlx5_0");
        t.File("sys/devices/pci0000:00/0000:3b:00.0/infiniband_verbs/uverbs4/ibdev", "mlx5_0\n")
         .File("sys/devices/pci0000:00/0000:3b:00.0/infiniband_verbs/uverbs4/dev", "231:196\n")
         .File("sys/devices/pci0000:00/0000:3b:00.0/numa_node", "1\n")
         .File("sys/devices/pci0000:00/0000:3b:00.0/net/ens1f0/ifindex", "3\n")
         .File("sys/bus/pci/drivers/mlx5_core/bind", "")
         .Link("sys/devices/pci0000:00/0000:3b:00.0/driver", "../../../bus/pci/drivers/mlx5_core")
         .Link($"{Ib}/mlx5_0/device", "../../../devices/pci0000:00/0000:3b:00.0");
        var d = Assert.Single(RdmaDiscovery.Discover(t.Paths).Devices);
        Assert.Equal("uverbs4", d.Verbs!.Name);
        Assert.Equal("0000:3b:00.0", d.PciAddress);
        Assert.Equal(1, d.NumaNode);
        Assert.Equal("mlx5_core", d.Driver);
        Assert.Equal(["ens1f0", "eth0"], d.Netdevs);
    }

    [Fact]
    public void Nodes_in_dev_are_present_missing_or_mismatched_against_sysfs()
    {
        using var t = new TempTree();
        RoceDevice(t, "mlx5_0");
        RoceDevice(t, "mlx5_1");
        RoceDevice(t, "mlx5_2");
        // /dev/null (1:3) stands in for a character device node, so no mknod (and no root) is needed.
        t.File("sys/class/infiniband_verbs/uverbs0/ibdev", "mlx5_0\n").File("sys/class/infiniband_verbs/uverbs0/dev", "1:3\n")
         .File("sys/class/infiniband_verbs/uverbs1/ibdev", "mlx5_1\n").File("sys/class/infiniband_verbs/uverbs1/dev", "231:193\n")
         .File("sys/class/infiniband_verbs/uverbs2/ibdev", "mlx5_2\n").File("sys/class/infiniband_verbs/uverbs2/dev", "231:194\n")
         .Link("dev/infiniband/uverbs0", "/dev/null")
         .File("dev/infiniband/uverbs2", "not a device\n")
         .Link("dev/infiniband/umad7", "/dev/null")
         .Link("dev/infiniband/by-ibdev/mlx5_0", "../uverbs0")
         .File("root/proc/devices", "Character devices:\n  1 mem\n231 infiniband_verbs\n");
        var s = RdmaDiscovery.Discover(t.Paths);

        var byName = s.Nodes.ToDictionary(n => n.Name);
        Assert.Equal(4, s.Nodes.Count);
        Assert.Equal(RdmaNodeStatus.Present, byName["uverbs0"].Status);
        Assert.True(byName["uverbs0"].CanOpen);
        Assert.Equal("0666", byName["uverbs0"].Mode);
        Assert.Equal("/dev/infiniband/uverbs0 rwm", byName["uverbs0"].DeviceAllow.PathRule);
        Assert.Equal(RdmaNodeStatus.Missing, byName["uverbs1"].Status);
        Assert.False(byName["uverbs1"].Present);
        Assert.Equal((231, 193), (byName["uverbs1"].Major, byName["uverbs1"].Minor));
        Assert.Equal("char-infiniband_verbs rwm", byName["uverbs1"].DeviceAllow.ClassRule);
        Assert.Equal(RdmaNodeStatus.Mismatch, byName["uverbs2"].Status);
        Assert.False(byName["uverbs2"].IsCharacterDevice);
        Assert.Equal(RdmaNodeStatus.Unknown, byName["umad7"].Status);
        Assert.Equal(RdmaNodeKind.Umad, byName["umad7"].Kind);
        // The class comes from the node's real major (1, /dev/null) as /proc/devices names it.
        Assert.Equal("char-mem rwm", byName["umad7"].DeviceAllow.ClassRule);

        Assert.True(s.Find("mlx5_0")!.Verbs!.NodePresent);
        Assert.Equal(RdmaNodeStatus.Missing, s.Find("mlx5_1")!.Verbs!.NodeStatus);
        Assert.False(s.Find("mlx5_2")!.Verbs!.NodePresent);
    }

    [Fact]
    public void Umad_issm_and_rdma_cm_are_read_from_their_classes()
    {
        using var t = RoceDevice(new TempTree(), "mlx5_0");
        t.File("sys/class/infiniband_mad/abi_version", "5\n")
         .File("sys/class/infiniband_mad/umad0/ibdev", "mlx5_0\n").File("sys/class/infiniband_mad/umad0/port", "1\n")
         .File("sys/class/infiniband_mad/umad0/dev", "231:0\n")
         .File("sys/class/infiniband_mad/issm0/ibdev", "mlx5_0\n").File("sys/class/infiniband_mad/issm0/port", "1\n")
         .File("sys/class/infiniband_mad/issm0/dev", "231:64\n")
         .File("sys/class/misc/rdma_cm/dev", "10:58\n");
        var s = RdmaDiscovery.Discover(t.Paths);
        Assert.Equal(["issm0", "rdma_cm", "umad0"], s.ClassNodes.Select(n => n.Name).Order(StringComparer.Ordinal));
        var issm = s.ClassNodes.Single(n => n.Name == "issm0");
        Assert.Equal((RdmaNodeKind.Issm, "mlx5_0", 1, 231, 64), (issm.Kind, issm.IbDev, issm.Port, issm.Major, issm.Minor));
        Assert.All(s.Nodes, n => Assert.Equal(RdmaNodeStatus.Missing, n.Status));
        Assert.Equal("char-misc rwm", s.Nodes.Single(n => n.Kind == RdmaNodeKind.RdmaCm).DeviceAllow.ClassRule);
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void No_class_directory_is_an_empty_snapshot_naming_the_directory()
    {
        using var t = new TempTree();
        var s = RdmaDiscovery.Discover(t.Paths);
        Assert.Empty(s.Devices);
        Assert.Empty(s.Nodes);
        Assert.Empty(s.Warnings);
        Assert.Equal(Path.Combine(t.Sys, "class/infiniband"), s.ClassDirectory);
    }

    [Fact]
    public void The_synthetic_tree_reads_back_with_every_device_port_and_gid()
    {
        using var t = new TempTree();
        SyntheticSysfsTree.Create(t.Sys, hcas: 16, ports: 2, gids: 256);
        var s = RdmaDiscovery.Discover(t.Paths);
        Assert.Equal(16, s.Devices.Count);
        Assert.All(s.Devices, d => Assert.Equal(2, d.Ports.Count));
        Assert.Equal(16 * 2 * 256, s.Devices.Sum(d => d.Ports.Sum(p => p.Gids.Count)));
        Assert.Equal(16, s.Nodes.Count(n => n.Status == RdmaNodeStatus.Missing));
        for (int i = 0; i < 16; i++)
            Assert.Equal(SyntheticSysfsTree.VerbsName(i, 16), s.Find(SyntheticSysfsTree.DeviceName(i))!.Verbs!.Name);
        Assert.Equal(4000UL, s.Devices[0].Ports[0].Counters!.XmitBytes);
        Assert.Empty(s.Warnings);
    }
}
