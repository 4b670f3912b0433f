using NspawnNative.Interop.Rdma;

namespace NspawnNative.Interop.Tests.Rdma;

public class RdmaSysfsParseTests
{
    [Theory]
    [InlineData("4: ACTIVE", 4, "ACTIVE")]
    [InlineData("5: LinkUp", 5, "LinkUp")]
    [InlineData("1: CA", 1, "CA")]
    [InlineData("3: Disabled", 3, "Disabled")]
    public void A_numbered_name_gives_the_number_and_the_name(string text, int id, string name)
    {
        Assert.True(RdmaSysfsParse.TryNumberedName(text, out int gotId, out string gotName));
        Assert.Equal(id, gotId);
        Assert.Equal(name, gotName);
    }

    [Theory]
    [InlineData("ACTIVE")]
    [InlineData("x: ACTIVE")]
    [InlineData("4:")]
    public void A_numbered_name_without_number_or_name_is_rejected(string text) =>
        Assert.False(RdmaSysfsParse.TryNumberedName(text, out _, out _));

    [Theory]
    [InlineData("100 Gb/sec (4X EDR)", 100)]
    [InlineData("40 Gb/sec (4X QDR)", 40)]
    [InlineData("25 Gb/sec (1X EDR)", 25)]
    [InlineData("2.5 Gb/sec (1X SDR)", 2.5)]
    [InlineData("0 GB/sec", 0)]
    [InlineData("500 Gb/sec (4X HDR)", 500)]
    public void A_rate_gives_gigabits_per_second(string text, double gbps)
    {
        Assert.True(RdmaSysfsParse.TryRate(text, out var got));
        Assert.Equal(gbps, got);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("100 Mb/sec")]
    [InlineData("")]
    public void A_rate_in_another_form_is_rejected(string text) => Assert.False(RdmaSysfsParse.TryRate(text, out _));

    [Theory]
    [InlineData("0x5", 5u)]
    [InlineData("0x00010000", 0x10000u)]
    [InlineData("0", 0u)]
    [InlineData("12", 12u)]
    public void Lids_and_masks_are_hex_or_decimal(string text, uint value)
    {
        Assert.True(RdmaSysfsParse.TryNumber(text, out var got));
        Assert.Equal(value, got);
    }

    [Fact]
    public void A_dev_file_gives_major_and_minor()
    {
        Assert.True(RdmaSysfsParse.TryDev("231:192", out int major, out int minor));
        Assert.Equal((231, 192), (major, minor));
        Assert.False(RdmaSysfsParse.TryDev("231", out _, out _));
    }

    [Theory]
    [InlineData("fe80:0000:0000:0000:0002:c903:00f9:bfa1", false)]
    [InlineData("fe80:0000:0000:0000:0000:0000:0000:0000", true)]
    [InlineData("0000:0000:0000:0000:0000:0000:0000:0000", true)]
    [InlineData("0000:0000:0000:0000:0000:ffff:c0a8:0101", false)]
    public void A_gid_with_a_zero_interface_id_is_unused(string gid, bool unused)
    {
        Assert.True(RdmaSysfsParse.IsGid(gid));
        Assert.Equal(unused, RdmaSysfsParse.IsUnusedGid(gid));
    }

    [Theory]
    [InlineData("fe80::1")]
    [InlineData("fe80:0000:0000:0000:0002:c903:00f9:bfaz")]
    public void A_gid_in_another_form_is_rejected(string text) => Assert.False(RdmaSysfsParse.IsGid(text));

    [Fact]
    public void The_port_guid_is_the_low_half_of_gid_0_as_ibstat_prints_it() =>
        Assert.Equal("0x0002c90300f9bfa1", RdmaSysfsParse.PortGuid("fe80:0000:0000:0000:0002:C903:00f9:bfa1"));

    [Fact]
    public void Proc_devices_names_the_class_of_a_major_by_kind()
    {
        var text = "Character devices:\n  1 mem\n 10 misc\n231 infiniband_mad\n231 infiniband_verbs\n\nBlock devices:\n231 notachar\n";
        var pd = ProcDevices.Parse(text);
        Assert.Equal(("infiniband_verbs", true), pd.ClassName(RdmaNodeKind.Verbs, 231));
        Assert.Equal(("infiniband_mad", true), pd.ClassName(RdmaNodeKind.Umad, 231));
        Assert.Equal(("misc", true), pd.ClassName(RdmaNodeKind.RdmaCm, 10));
        Assert.Equal(("infiniband_verbs", false), pd.ClassName(RdmaNodeKind.Verbs, 240));
        Assert.Equal(("infiniband_verbs", false), ProcDevices.Parse(null).ClassName(RdmaNodeKind.Verbs, 231));
    }
}
