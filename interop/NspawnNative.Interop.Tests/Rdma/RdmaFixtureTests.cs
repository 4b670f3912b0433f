using NspawnNative.Interop.Rdma;

namespace NspawnNative.Interop.Tests.Rdma;

/// <summary>The captured tree in Fixtures/sysfs/three-hcas; expected values from its EXPECTED.txt.</summary>
public class RdmaFixtureTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sysfs", "three-hcas");

    private static RdmaSnapshot Discover()
    {
        var emptyDev = Directory.CreateTempSubdirectory("nn-dev-").FullName;
        return RdmaDiscovery.Discover(new HostPaths("/nonexistent-root", Root, emptyDev));
    }

    [Fact]
    public void Exactly_three_devices_are_found_without_warnings()
    {
        var s = Discover();
        Assert.Equal(["hfi1_0", "mlx4_0", "mlx5_0"], s.Devices.Select(d => d.Name));
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void Hfi1_has_no_hca_type_and_one_active_100_gigabit_port()
    {
        var d = Discover().Find("hfi1_0")!;
        Assert.Null(d.HcaType);
        Assert.Equal("1.27.0", d.FwVer);
        Assert.Equal("HPE 100Gb 1-port OP101 QSFP28 x16 PCIe Gen3 with Intel Omni-Path Adapter", d.BoardId);
        var p = Assert.Single(d.Ports);
        Assert.Equal(("InfiniBand", 4, "ACTIVE", 5, 100.0), (p.LinkLayer, p.StateId, p.State, p.PhysStateId, p.RateGbps!.Value));
    }

    [Fact]
    public void Mlx4_has_two_ports_and_the_blank_line_after_its_link_layer_is_trimmed()
    {
        var d = Discover().Find("mlx4_0")!;
        Assert.Equal(("MT4099", "2.31.5050", "SM_1141000001000"), (d.HcaType, d.FwVer, d.BoardId));
        Assert.Equal([1, 2], d.Ports.Select(p => p.Port));
        Assert.All(d.Ports, p => Assert.Equal(("InfiniBand", 4, 5, 40.0, "40 Gb/sec (4X QDR)"), (p.LinkLayer, p.StateId!.Value, p.PhysStateId!.Value, p.RateGbps!.Value, p.RateText)));
        Assert.Equal(3599UL, d.Ports[0].Counters!.Values["port_xmit_wait"]);
        Assert.Equal(3846UL, d.Ports[1].Counters!.Values["port_xmit_wait"]);
    }

    [Fact]
    public void Mlx5_reads_its_guid_without_final_newline_and_counts_data_in_words()
    {
        var d = Discover().Find("mlx5_0")!;
        Assert.Equal("0a7f:bc12:45ef:d23b", d.NodeGuid);
        Assert.Equal(("MT4118", "14.28.2006", "SM_2001000001034"), (d.HcaType, d.FwVer, d.BoardId));
        var p = Assert.Single(d.Ports);
        Assert.Equal((4, 4, "ACTIVE", 25.0), (p.StateId!.Value, p.PhysStateId!.Value, p.PhysState, p.RateGbps!.Value));
        Assert.Equal(11523046035392UL, p.Counters!.XmitBytes);
    }

    [Fact]
    public void No_device_has_a_verbs_node_and_no_node_is_invented()
    {
        var s = Discover();
        Assert.All(s.Devices, d => Assert.Null(d.Verbs));
        Assert.Empty(s.Nodes);
    }
}
