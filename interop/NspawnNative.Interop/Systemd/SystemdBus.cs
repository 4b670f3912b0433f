using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// A connection to the bus that systemd, machined and importd answer on: the system bus, or another address (a
/// container's bus, a test bus). Proxies for machine1, systemd1 and import1 are created on it. Connect failures
/// and error replies become exceptions derived from <see cref="SystemdException"/>.
/// </summary>
public sealed class SystemdBus : IAsyncDisposable, IDisposable
{
    private SystemdBus(DBusConnection connection, string address)
    {
        Connection = connection;
        Address = address;
    }

    /// <summary>The address of the system bus as Tmds.DBus resolves it (DBUS_SYSTEM_BUS_ADDRESS or the default
    /// socket).</summary>
    public static string SystemAddress => DBusAddress.System ?? "unix:path=/run/dbus/system_bus_socket";

    /// <summary>How long a connect (socket and authentication) may take before the bus counts as unavailable.</summary>
    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(15);

    /// <summary>The underlying connection, for proxies.</summary>
    public DBusConnection Connection { get; }

    /// <summary>The address this connection was made to.</summary>
    public string Address { get; }

    /// <summary>Connects to <paramref name="address"/>, or to the system bus when it is null.</summary>
    /// <param name="address">A D-Bus address such as <c>unix:path=/run/dbus/system_bus_socket</c>; null for the
    /// system bus.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <exception cref="BusUnavailableException">No bus answers at the address.</exception>
    public static async Task<SystemdBus> ConnectAsync(string? address, CancellationToken cancellationToken)
    {
        address ??= SystemAddress;
        var connection = new DBusConnection(address);
        var advice = address == SystemAddress
            ? "is systemd running here? Run on a host with systemd as PID 1, or pass --bus ADDRESS"
            : "check the address given with --bus";
        try
        {
            // A socket that accepts but never answers would otherwise hold the caller forever.
            await connection.ConnectAsync().AsTask().WaitAsync(ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            connection.Dispose();
            throw new BusUnavailableException(
                $"The D-Bus bus at '{address}' did not answer within {ConnectTimeout.TotalSeconds:0} s; {advice}.", e);
        }
        catch (Exception e) when (e is DBusConnectFailedException or DBusConnectionException or IOException
                                      or System.Net.Sockets.SocketException or ArgumentException)
        {
            connection.Dispose();
            throw new BusUnavailableException($"No D-Bus bus at '{address}': {Reason(e)}; {advice}.", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new SystemdBus(connection, address);
    }

    /// <summary>Sends a method call and reads the reply with
    /// <paramref name="read"/>, turning an error reply into a typed exception.</summary>
    /// <typeparam name="T">The reply's value.</typeparam>
    /// <param name="message">The method call.</param>
    /// <param name="read">Reads the reply body.</param>
    /// <param name="context">What the call was about, for the message (for example "machine 'web'").</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    public async Task<T> CallAsync<T>(MessageBuffer message, MessageValueReader<T> read, string context, CancellationToken cancellationToken)
    {
        try
        {
            return await Connection.CallMethodAsync(message, read).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException e)
        {
            throw DBusErrors.Map(e, context);
        }
        catch (DBusConnectionClosedException e)
        {
            throw new BusUnavailableException($"The D-Bus connection to '{Address}' closed while asking about {context}; try again.", e);
        }
    }

    /// <summary>Sends a method call whose reply has no body.</summary>
    /// <param name="message">The method call.</param>
    /// <param name="context">What the call was about, for the message.</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    public Task CallAsync(MessageBuffer message, string context, CancellationToken cancellationToken) =>
        CallAsync(message, static (_, _) => true, context, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Connection.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Reason(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is System.Net.Sockets.SocketException s)
                return s.SocketErrorCode switch
                {
                    System.Net.Sockets.SocketError.AddressNotAvailable => "the socket does not exist",
                    System.Net.Sockets.SocketError.ConnectionRefused => "nothing listens on the socket",
                    System.Net.Sockets.SocketError.AccessDenied => "permission denied",
                    _ => s.Message.TrimEnd('.'),
                };
        }
        return e.Message.TrimEnd('.');
    }
}
