using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Tests.Dbus;

/// <summary>Writes a message body; MessageWriter is a struct, so it travels by reference.</summary>
internal delegate void BodyWriter(ref MessageWriter writer);

/// <summary>One call a fake service received: its interface, member and signature.</summary>
internal sealed record ReceivedCall(string Interface, string Member, string Signature);

/// <summary>
/// A fake D-Bus service (machined or systemd) on a <see cref="PrivateBus"/>, built on Tmds' server-side API: it owns
/// a bus name, answers calls on one object path with <see cref="OnCall"/>, records them, and can emit signals.
/// </summary>
internal sealed class FakeService : IPathMethodHandler, IAsyncDisposable
{
    private readonly DBusConnection _connection;
    private readonly List<ReceivedCall> _calls = [];

    private FakeService(DBusConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    public string Path { get; }

    public bool HandlesChildPaths => true;

    /// <summary>Answers a call; the default replies "UnknownMethod".</summary>
    public Func<MethodContext, ValueTask> OnCall { get; set; } = c =>
    {
        c.ReplyUnknownMethodError();
        return ValueTask.CompletedTask;
    };

    public IReadOnlyList<ReceivedCall> Calls
    {
        get
        {
            lock (_calls)
                return _calls.ToList();
        }
    }

    public static async Task<FakeService> StartAsync(PrivateBus bus, string name, string path)
    {
        var connection = new DBusConnection(bus.Address);
        await connection.ConnectAsync();
        var service = new FakeService(connection, path);
        connection.AddMethodHandler(service);
        await connection.RequestNameAsync(name, RequestNameOptions.None);
        return service;
    }

    public async ValueTask HandleMethodAsync(MethodContext context)
    {
        var request = context.Request;
        lock (_calls)
            _calls.Add(new ReceivedCall(request.InterfaceAsString ?? "", request.MemberAsString ?? "", System.Text.Encoding.UTF8.GetString(request.Signature)));
        try
        {
            await OnCall(context);
        }
        catch (Exception e)
        {
            // A throwing handler makes Tmds drop the connection; an error reply tells the test what broke.
            if (!context.ReplySent)
                context.ReplyError("org.nspawnnative.Test.HandlerFailed", e.ToString());
        }
    }

    /// <summary>Emits a signal from <paramref name="path"/>; <paramref name="writeBody"/> writes its arguments.</summary>
    public void Emit(string path, string @interface, string member, string signature, BodyWriter writeBody)
    {
        var writer = _connection.GetMessageWriter();
        MessageBuffer message;
        try
        {
            writer.WriteSignalHeader(null, path, @interface, member, signature);
            writeBody(ref writer);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
        Assert.True(_connection.TrySendMessage(message), "the fake service could not send its signal");
    }

    /// <summary>Replies with a body of <paramref name="signature"/>.</summary>
    public static void Reply(MethodContext context, string signature, BodyWriter writeBody)
    {
        var writer = context.CreateReplyWriter(signature);
        try
        {
            writeBody(ref writer);
            context.Reply(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Replies with an empty body.</summary>
    public static void ReplyEmpty(MethodContext context)
    {
        using var writer = context.CreateReplyWriter(null);
        context.Reply(writer.CreateMessage());
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
