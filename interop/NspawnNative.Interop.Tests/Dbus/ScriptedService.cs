using System.Collections.Concurrent;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Tests.Dbus;

/// <summary>
/// A stand-in for machined or importd on the private bus: owns the service name, answers every call under its
/// root path with a handler the test sets per member, and records the calls. Handlers run on the service's
/// connection thread, before the next message is read.
/// </summary>
public sealed class ScriptedService : IPathMethodHandler, IDisposable
{
    private readonly DBusConnection _connection;

    private ScriptedService(DBusConnection connection, string root)
    {
        _connection = connection;
        Path = root;
    }

    public string Path { get; }

    public bool HandlesChildPaths => true;

    /// <summary>Handlers by member name ("ListImages", "GetAll", ...).</summary>
    public ConcurrentDictionary<string, Action<MethodContext>> Handlers { get; } = new();

    /// <summary>Every call received: path, member and signature.</summary>
    public ConcurrentQueue<(string Path, string Member, string Signature)> Calls { get; } = new();

    public static async Task<ScriptedService> StartAsync(string address, string name, string root)
    {
        var connection = new DBusConnection(address);
        await connection.ConnectAsync();
        var service = new ScriptedService(connection, root);
        connection.AddMethodHandler(service);
        await connection.RequestNameAsync(name);
        return service;
    }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        var request = context.Request;
        var member = request.MemberAsString ?? "";
        Calls.Enqueue((request.PathAsString ?? "", member, request.SignatureAsString));
        if (Handlers.TryGetValue(member, out var handler))
            handler(context);
        else
            context.ReplyError("org.freedesktop.DBus.Error.UnknownMethod", $"fake has no {member}");
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends a signal built by <paramref name="body"/>.</summary>
    public void Emit(string path, string @interface, string member, string signature, WriteBody body)
    {
        var writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteSignalHeader(null, path, @interface, member, signature);
            body(ref writer);
            _connection.TrySendMessage(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    public delegate void WriteBody(ref MessageWriter writer);

    /// <summary>Replies with a body built by <paramref name="body"/>.</summary>
    public static void Reply(MethodContext context, string? signature, WriteBody body)
    {
        var writer = context.CreateReplyWriter(signature);
        try
        {
            body(ref writer);
            context.Reply(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    public void Dispose() => _connection.Dispose();
}
