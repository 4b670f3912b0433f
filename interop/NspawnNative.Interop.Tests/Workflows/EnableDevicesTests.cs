using NspawnNative.Interop.Rdma;
using NspawnNative.Interop.Workflows;

namespace NspawnNative.Interop.Tests.Workflows;

/// <summary>Which DeviceAllow rules rdma enable asks for, from a sysfs tree with a RoCE and an InfiniBand device.</summary>
public sealed class EnableDevicesTests
{
    private static string Rules(RdmaEnableOptions options, out bool hostNetwork)
    {
        using var root = new TempRoot();
        SysfsFixture.WriteRoce(root);
        SysfsFixture.WriteInfiniband(root);
        var selection = EnableDevices.Select(RdmaDiscovery.Discover(root.Paths), options);
        hostNetwork = selection.HostNetwork;
        return string.Join("; ", selection.Rules.Select(r => r.ToString()));
    }

    [Fact]
    public void EveryDeviceGetsTheClassRuleAndRdmaCmButNoMadNodes()
    {
        Assert.Equal("char-infiniband_verbs rwm; /dev/infiniband/rdma_cm rw", Rules(new RdmaEnableOptions(), out var hostNetwork));
        Assert.True(hostNetwork);
    }

    [Fact]
    public void NamedDevicesGetPathRulesForTheirOwnNodesOnly()
    {
        Assert.Equal("/dev/infiniband/uverbs1 rwm; /dev/infiniband/rdma_cm rw",
            Rules(new RdmaEnableOptions(Devices: ["mlx5_0"]), out var hostNetwork));
        Assert.False(hostNetwork);
    }

    [Theory]
    [InlineData(true, false, "/dev/infiniband/umad0 rw")]
    [InlineData(false, true, "/dev/infiniband/issm0 rw")]
    public void UmadAndIssmAreAllowedOnlyWhenAsked(bool umad, bool issm, string expected)
    {
        var rules = Rules(new RdmaEnableOptions(Devices: ["mlx5_0"], Umad: umad, Issm: issm), out _);
        Assert.EndsWith("; " + expected, rules);
        Assert.DoesNotContain(umad ? "issm" : "umad", rules);
    }

    [Fact]
    public void AskingForTheHostNetworkSharesItWithoutRoce()
    {
        Rules(new RdmaEnableOptions(HostNetwork: true, Devices: ["mlx5_0"]), out var hostNetwork);
        Assert.True(hostNetwork);
    }

    [Fact]
    public void AnUnknownDeviceIsRefusedWithWhereToLook()
    {
        var e = Assert.Throws<InvalidInputException>(() => Rules(new RdmaEnableOptions(Devices: ["mlx9_9"]), out _));
        Assert.Contains("'mlx9_9'", e.Message);
        Assert.Contains("hca list", e.Message);
    }
}
