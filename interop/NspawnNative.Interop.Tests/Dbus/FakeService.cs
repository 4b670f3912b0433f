using System.Collections.Concurrent;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Tests.Dbus;

/// <summary>Writes a message body; MessageWriter is a struct, so it travels by reference.</summary>
internal delegate void BodyWriter(ref MessageWriter writer);

/// <summary>One call a fake service received: its object path, interface, member and signature.</summary>
internal sealed record ReceivedCall(string Path, string Interface, string Member, string Signature);

/// <summary>
/// A fake D-Bus service (machined, importd or systemd) on a <see cref="PrivateBus"/>, built on Tmds' server-side
/// API: it owns a bus name, answers calls on its object path and the paths below it, records them, and can emit
/// signals. A call goes to the handler set for its member in <see cref="Handlers"/>, else to <see cref="OnCall"/>.
/// Handlers run on the service's connection thread, before the next message is read.
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

    /// <summary>Handlers by member name ("ListImages", "GetAll", ...); they win over <see cref="OnCall"/>.</summary>
    public ConcurrentDictionary<string, Action<MethodContext>> Handlers { get; } = new();

    /// <summary>Answers a call no member handler takes; the default replies "UnknownMethod".</summary>
    public Func<MethodContext, ValueTask> OnCall { get; set; } = c =>
    {
        c.ReplyUnknownMethodError();
        return ValueTask.CompletedTask;
    };

    /// <summary>Every call received so far, in order.</summary>
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
        var member = request.MemberAsString ?? "";
        lock (_calls)
            _calls.Add(new ReceivedCall(request.PathAsString ?? "", request.InterfaceAsString ?? "", member, request.SignatureAsString));
        try
        {
            if (Handlers.TryGetValue(member, out var handler))
                handler(context);
            else
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
