using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>Builds every method call message of the hand-written proxies: header, then a body written by the caller.</summary>
internal static class MethodCall
{
    /// <summary>Writes a call's arguments.</summary>
    internal delegate void Body(ref MessageWriter writer);

    /// <summary>A body with no arguments.</summary>
    internal static readonly Body None = static (ref MessageWriter _) => { };

    internal static MessageBuffer Create(SystemdBus bus, string service, string path, string @interface, string member, string? signature, Body body)
    {
        var writer = bus.Connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(service, path, @interface, member, signature);
            body(ref writer);
            return writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>A call whose arguments are all strings (the most common shape in these APIs).</summary>
    internal static MessageBuffer Strings(SystemdBus bus, string service, string path, string @interface, string member,
        params string[] args) =>
        Create(bus, service, path, @interface, member, args.Length == 0 ? null : new string('s', args.Length),
            (ref MessageWriter writer) =>
        {
            foreach (var a in args)
                writer.WriteString(a);
        });
}
