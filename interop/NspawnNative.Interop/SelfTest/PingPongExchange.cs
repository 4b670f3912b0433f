using System.Net;
using System.Net.Sockets;

namespace NspawnNative.Interop.SelfTest;

/// <summary>
/// The TCP address exchange of ibv_rc_pingpong. The server accepts one connection, reads the client's address,
/// connects its QP (so it is ready before the client can send), replies with its own address and waits for the
/// client's "done". Every step has a time-out; a peer that sends too little, too much, garbage or nothing ends in
/// one <see cref="SelfTestException"/>.
/// </summary>
public static class PingPongExchange
{
    /// <summary>Runs the server side on <paramref name="port"/>.</summary>
    /// <param name="port">The TCP port to listen on.</param>
    /// <param name="local">This side's address, sent after <paramref name="connect"/> ran.</param>
    /// <param name="connect">Called with the client's address before the reply (moves the QP to RTR and RTS).</param>
    /// <param name="timeout">The time allowed for each step.</param>
    /// <param name="listening">Called once the socket listens (tests and callers that start a client).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The client's address.</returns>
    /// <exception cref="SelfTestException">The exchange failed.</exception>
    public static async Task<PingPongDestination> ServerAsync(int port, PingPongDestination local, Action<PingPongDestination> connect,
        TimeSpan timeout, Action<int>? listening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connect);
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            listener.Listen(1);
        }
        catch (SocketException e)
        {
            throw new SelfTestException($"Could not listen on TCP port {port}: {e.Message}; pick another port with -p.", e);
        }
        listening?.Invoke(((IPEndPoint)listener.LocalEndPoint!).Port);

        Socket peer;
        using (var cts = Step(timeout, cancellationToken))
        {
            try
            {
                peer = await listener.AcceptAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SelfTestException($"No client connected to TCP port {port} within {timeout.TotalSeconds:0} s; start the client with this host's address.");
            }
        }
        using (peer)
        {
            var message = await ReadExactAsync(peer, PingPongWire.MessageLength, "the client's address", timeout, cancellationToken).ConfigureAwait(false);
            if (!PingPongWire.TryParse(message, out var remote, out var error))
                throw new SelfTestException($"The client at {peer.RemoteEndPoint} is not an RC ping-pong peer: {error}.");
            connect(remote!);
            await WriteAsync(peer, PingPongWire.Format(local), "this side's address", timeout, cancellationToken).ConfigureAwait(false);
            var done = await ReadExactAsync(peer, PingPongWire.Done.Length, "the client's \"done\"", timeout, cancellationToken).ConfigureAwait(false);
            if (!done.AsSpan().SequenceEqual(PingPongWire.Done))
                throw new SelfTestException($"The client at {peer.RemoteEndPoint} sent something else than \"done\" after the addresses; check that it is an RC ping-pong peer.");
            return remote!;
        }
    }

    /// <summary>Runs the client side against <paramref name="host"/>.</summary>
    /// <param name="host">The server's host name or address.</param>
    /// <param name="port">Its TCP port.</param>
    /// <param name="local">This side's address.</param>
    /// <param name="timeout">The time allowed for each step.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The server's address.</returns>
    /// <exception cref="SelfTestException">The exchange failed.</exception>
    public static async Task<PingPongDestination> ClientAsync(string host, int port, PingPongDestination local, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true, NoDelay = true };
        using (var cts = Step(timeout, cancellationToken))
        {
            try
            {
                await socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SelfTestException($"Connecting to '{host}' port {port} timed out after {timeout.TotalSeconds:0} s; check the address and that the server runs.");
            }
            catch (SocketException e)
            {
                throw new SelfTestException($"Could not connect to '{host}' port {port}: {e.Message}; start the server first ('selftest server' or 'ibv_rc_pingpong').", e);
            }
        }
        await WriteAsync(socket, PingPongWire.Format(local), "this side's address", timeout, cancellationToken).ConfigureAwait(false);
        var message = await ReadExactAsync(socket, PingPongWire.MessageLength, "the server's address", timeout, cancellationToken).ConfigureAwait(false);
        if (!PingPongWire.TryParse(message, out var remote, out var error))
            throw new SelfTestException($"The server '{host}' port {port} is not an RC ping-pong peer: {error}.");
        await WriteAsync(socket, PingPongWire.Done.ToArray(), "\"done\"", timeout, cancellationToken).ConfigureAwait(false);
        return remote!;
    }

    private static CancellationTokenSource Step(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        return cts;
    }

    private static async Task<byte[]> ReadExactAsync(Socket socket, int length, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        int got = 0;
        using var cts = Step(timeout, cancellationToken);
        try
        {
            while (got < length)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None, cts.Token).ConfigureAwait(false);
                if (n == 0)
                    throw new SelfTestException($"The peer {socket.RemoteEndPoint} closed the connection after {got} of the {length} bytes of {what}; check that it is an RC ping-pong peer with the same settings.");
                got += n;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SelfTestException($"The peer {socket.RemoteEndPoint} sent {got} of the {length} bytes of {what} within {timeout.TotalSeconds:0} s; check that it is an RC ping-pong peer.");
        }
        catch (SocketException e)
        {
            throw new SelfTestException($"Reading {what} from {socket.RemoteEndPoint} failed: {e.Message}.", e);
        }
        return buffer;
    }

    private static async Task WriteAsync(Socket socket, byte[] data, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = Step(timeout, cancellationToken);
        try
        {
            int sent = 0;
            while (sent < data.Length)
                sent += await socket.SendAsync(data.AsMemory(sent), SocketFlags.None, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SelfTestException($"Sending {what} to {socket.RemoteEndPoint} timed out after {timeout.TotalSeconds:0} s.");
        }
        catch (SocketException e)
        {
            throw new SelfTestException($"Sending {what} to {socket.RemoteEndPoint} failed: {e.Message}.", e);
        }
    }
}
