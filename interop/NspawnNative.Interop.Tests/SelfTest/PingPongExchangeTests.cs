using System.Net;
using System.Net.Sockets;
using System.Text;
using NspawnNative.Interop.SelfTest;

namespace NspawnNative.Interop.Tests.SelfTest;

/// <summary>The TCP exchange over a real loopback socket, against well-behaved and malformed peers.</summary>
public class PingPongExchangeTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);
    private static readonly PingPongDestination Server = new(1, 0x11, 0x222222, new byte[16]);
    private static readonly PingPongDestination Client = new(2, 0x33, 0x444444, Convert.FromHexString("fe800000000000005054fffe123456ab"));

    [Fact]
    public async Task Our_client_and_server_exchange_addresses()
    {
        PingPongDestination? connectedTo = null;
        var listening = new TaskCompletionSource<int>();
        var server = PingPongExchange.ServerAsync(0, Server, d => connectedTo = d, Short, p => listening.SetResult(p), TestContext.Current.CancellationToken);
        int port = await listening.Task;
        var fromServer = await PingPongExchange.ClientAsync("localhost", port, Client, Short, TestContext.Current.CancellationToken);
        var fromClient = await server;
        Assert.Equal(Server.Qpn, fromServer.Qpn);
        Assert.Equal(Client.Qpn, fromClient.Qpn);
        Assert.Equal(Client.Gid, connectedTo!.Gid);
    }

    [Fact]
    public async Task The_server_reads_first_and_the_client_acknowledges_with_done()
    {
        // Plays ibv_rc_pingpong's client byte by byte against our server.
        var listening = new TaskCompletionSource<int>();
        var server = PingPongExchange.ServerAsync(0, Server, _ => { }, Short, p => listening.SetResult(p), TestContext.Current.CancellationToken);
        using var peer = await Connect(await listening.Task);
        await peer.SendAsync(PingPongWire.Format(Client));
        var reply = await ReadAll(peer, 52);
        Assert.Equal("0001:000011:222222:00000000000000000000000000000000\0", Encoding.ASCII.GetString(reply));
        await peer.SendAsync("done\0"u8.ToArray());
        Assert.Equal(Client.Psn, (await server).Psn);
    }

    public static TheoryData<string, string> BadClients => new()
    {
        { "", "closed the connection after 0 of the 52 bytes" },
        { "0001:000011", "closed the connection after 11 of the 52 bytes" },
        { "this is not a ping-pong address, it is just some text\n", "is not an RC ping-pong peer" },
        { "0002:000033:444444:fe800000000000005054fffe123456ab\0trailing garbage", "something else than \"done\"" },
    };

    [Theory]
    [MemberData(nameof(BadClients))]
    public async Task A_malformed_client_gets_one_clear_error(string sends, string expected)
    {
        var listening = new TaskCompletionSource<int>();
        var server = PingPongExchange.ServerAsync(0, Server, _ => { }, Short, p => listening.SetResult(p), TestContext.Current.CancellationToken);
        using (var peer = await Connect(await listening.Task))
        {
            await peer.SendAsync(Encoding.ASCII.GetBytes(sends));
            peer.Shutdown(SocketShutdown.Send);
            var e = await Assert.ThrowsAsync<SelfTestException>(() => server);
            Assert.Contains(expected, e.Message);
            Assert.EndsWith(".", e.Message);
        }
    }

    [Fact]
    public async Task A_silent_client_times_out_instead_of_hanging()
    {
        var listening = new TaskCompletionSource<int>();
        var server = PingPongExchange.ServerAsync(0, Server, _ => { }, TimeSpan.FromMilliseconds(300), p => listening.SetResult(p), TestContext.Current.CancellationToken);
        using var peer = await Connect(await listening.Task);
        var e = await Assert.ThrowsAsync<SelfTestException>(() => server);
        Assert.Contains("sent 0 of the 52 bytes", e.Message);
    }

    [Fact]
    public async Task No_client_at_all_times_out()
    {
        var e = await Assert.ThrowsAsync<SelfTestException>(() =>
            PingPongExchange.ServerAsync(0, Server, _ => { }, TimeSpan.FromMilliseconds(300), null, TestContext.Current.CancellationToken));
        Assert.Contains("No client connected", e.Message);
    }

    public static TheoryData<string, string> BadServers => new()
    {
        { "", "closed the connection after 0 of the 52 bytes" },
        { "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "closed the connection after 40 of the 52 bytes" },
        { "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\nmore bytes!!", "is not an RC ping-pong peer" },
    };

    [Theory]
    [MemberData(nameof(BadServers))]
    public async Task A_malformed_server_gets_one_clear_error(string sends, string expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fake = Task.Run(async () =>
        {
            using var s = await listener.AcceptSocketAsync();
            await ReadAll(s, 52);
            await s.SendAsync(Encoding.ASCII.GetBytes(sends));
            s.Shutdown(SocketShutdown.Send);
            await Task.Delay(500);
        });
        var e = await Assert.ThrowsAsync<SelfTestException>(() =>
            PingPongExchange.ClientAsync("127.0.0.1", port, Client, Short, TestContext.Current.CancellationToken));
        Assert.Contains(expected, e.Message);
        await fake;
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var e = await Assert.ThrowsAsync<SelfTestException>(() =>
            PingPongExchange.ClientAsync("127.0.0.1", port, Client, TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken));
        Assert.Contains("sent 0 of the 52 bytes", e.Message);
    }

    [Fact]
    public async Task Nobody_listening_is_refused_with_advice()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var e = await Assert.ThrowsAsync<SelfTestException>(() =>
            PingPongExchange.ClientAsync("127.0.0.1", port, Client, Short, TestContext.Current.CancellationToken));
        Assert.Contains("start the server first", e.Message);
    }

    private static async Task<Socket> Connect(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(IPAddress.Loopback, port);
        return s;
    }

    private static async Task<byte[]> ReadAll(Socket s, int length)
    {
        var buffer = new byte[length];
        int got = 0;
        while (got < length)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(got));
            if (n == 0)
                break;
            got += n;
        }
        return buffer[..got];
    }
}
