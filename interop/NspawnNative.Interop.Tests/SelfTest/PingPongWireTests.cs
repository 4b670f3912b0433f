using System.Text;
using NspawnNative.Interop.SelfTest;

namespace NspawnNative.Interop.Tests.SelfTest;

public class PingPongWireTests
{
    private static readonly byte[] RoceGid = Convert.FromHexString("fe800000000000005054fffe123456ab");

    [Fact]
    public void An_address_is_written_as_ibv_rc_pingpong_writes_it()
    {
        var bytes = PingPongWire.Format(new PingPongDestination(0x1a, 0x11, 0xabcdef, RoceGid));
        Assert.Equal(52, bytes.Length);
        Assert.Equal("001a:000011:abcdef:fe800000000000005054fffe123456ab\0", Encoding.ASCII.GetString(bytes));
    }

    [Theory]
    [InlineData("0000:000011:0c1d2e:fe800000000000005054fffe123456ab\0", 0, 0x11, 0x0c1d2e, true)]
    [InlineData("0003:00abcd:FFFFFF:00000000000000000000000000000000\0", 3, 0xabcd, 0xffffff, false)]
    public void A_message_from_ibv_rc_pingpong_parses(string message, int lid, int qpn, int psn, bool hasGid)
    {
        Assert.True(PingPongWire.TryParse(Encoding.ASCII.GetBytes(message), out var d, out var error), error);
        Assert.Equal(lid, d!.Lid);
        Assert.Equal(qpn, d.Qpn);
        Assert.Equal(psn, d.Psn);
        Assert.Equal(hasGid, d.HasGid);
    }

    [Fact]
    public void Format_and_parse_round_trip()
    {
        var d = new PingPongDestination(0xffff, 0xffffff, 1, RoceGid);
        Assert.True(PingPongWire.TryParse(PingPongWire.Format(d), out var back, out _));
        Assert.Equal((d.Lid, d.Qpn, d.Psn), (back!.Lid, back.Qpn, back.Psn));
        Assert.Equal(d.Gid, back.Gid);
        Assert.Equal("fe80::5054:fffe:1234:56ab", back.GidText);
    }

    [Theory]
    [InlineData("0000:000011:0c1d2e:fe800000000000005054fffe123456ab", "51 bytes")]
    [InlineData("0000:000011:0c1d2e:fe800000000000005054fffe123456abc", "does not end with a NUL")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n........................\0", "not in the form")]
    [InlineData("0000-000011-0c1d2e-fe800000000000005054fffe123456ab\0", "not in the form")]
    [InlineData("0000:000011:0c1d2e:fe80000000000000505Xfffe123456ab\0", "not in the form")]
    public void Malformed_messages_are_refused_with_a_reason(string message, string reason)
    {
        Assert.False(PingPongWire.TryParse(Encoding.ASCII.GetBytes(message), out _, out var error));
        Assert.Contains(reason, error);
    }
}
