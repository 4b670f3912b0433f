using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>org.freedesktop.DBus.Properties on any object: GetAll and Get, as raw variant values that proxies
/// turn into typed records.</summary>
public static class DBusProperties
{
    private const string Interface = "org.freedesktop.DBus.Properties";

    /// <summary>Reads every property of <paramref name="interface"/> on an object.</summary>
    /// <param name="bus">The connection.</param>
    /// <param name="service">The bus name, for example <c>org.freedesktop.machine1</c>.</param>
    /// <param name="path">The object path.</param>
    /// <param name="interface">The interface whose properties to read.</param>
    /// <param name="context">What the object is, for error messages.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public static Task<Dictionary<string, VariantValue>> GetAllAsync(SystemdBus bus, string service, string path, string @interface,
        string context, CancellationToken cancellationToken)
    {
        var message = MethodCall.Create(bus, service, path, Interface, "GetAll", "s",
            (ref MessageWriter writer) => writer.WriteString(@interface));
        return bus.CallAsync(message, static (m, _) => m.GetBodyReader().ReadDictionaryOfStringToVariantValue(), context, cancellationToken);
    }

    /// <summary>Reads one property.</summary>
    /// <param name="bus">The connection.</param>
    /// <param name="service">The bus name.</param>
    /// <param name="path">The object path.</param>
    /// <param name="interface">The interface of the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="context">What the object is, for error messages.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public static Task<VariantValue> GetAsync(SystemdBus bus, string service, string path, string @interface, string name,
        string context, CancellationToken cancellationToken)
    {
        var message = MethodCall.Create(bus, service, path, Interface, "Get", "ss", (ref MessageWriter writer) =>
        {
            writer.WriteString(@interface);
            writer.WriteString(name);
        });
        return bus.CallAsync(message, static (m, _) => m.GetBodyReader().ReadVariantValue(), context, cancellationToken);
    }
}
