using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>Builds a method call message for the hand-written proxies: header, then a body written by the caller.</summary>
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
}
