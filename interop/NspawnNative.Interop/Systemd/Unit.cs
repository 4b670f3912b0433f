using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>The state of a unit on <c>org.freedesktop.systemd1.Unit</c>.</summary>
/// <param name="Id">The unit name.</param>
/// <param name="LoadState">"loaded", "not-found", "masked", ...</param>
/// <param name="ActiveState">"active", "inactive", "failed", "activating", ...</param>
/// <param name="SubState">The type-specific state, for example "running".</param>
/// <param name="FragmentPath">The unit file, or empty.</param>
/// <param name="DropInPaths">The drop-in files systemd applied, in order.</param>
/// <param name="NeedDaemonReload">True when a unit file or drop-in changed since the last reload.</param>
/// <param name="UnitFileState">"enabled", "disabled", "static", ... or empty.</param>
public sealed record UnitProperties(string Id, string LoadState, string ActiveState, string SubState, string FragmentPath,
    IReadOnlyList<string> DropInPaths, bool NeedDaemonReload, string UnitFileState)
{
    internal static UnitProperties From(IReadOnlyDictionary<string, VariantValue> p) => new(
        PropertyValues.String(p, "Id"), PropertyValues.String(p, "LoadState"), PropertyValues.String(p, "ActiveState"),
        PropertyValues.String(p, "SubState"), PropertyValues.String(p, "FragmentPath"), PropertyValues.Strings(p, "DropInPaths"),
        PropertyValues.Bool(p, "NeedDaemonReload"), PropertyValues.String(p, "UnitFileState"));
}

/// <summary>Proxy for one unit object of systemd (<c>org.freedesktop.systemd1.Unit</c> and its type's interface).</summary>
public sealed class Unit
{
    /// <summary>The D-Bus interface common to every unit.</summary>
    public const string Interface = "org.freedesktop.systemd1.Unit";

    private readonly SystemdBus _bus;

    /// <summary>Creates the proxy for the unit at <paramref name="path"/>.</summary>
    /// <param name="bus">The connection.</param>
    /// <param name="path">The unit's object path (from GetUnit or LoadUnit).</param>
    /// <param name="name">The unit name, for error messages.</param>
    public Unit(SystemdBus bus, string path, string name)
    {
        _bus = bus;
        Path = path;
        Name = name;
    }

    /// <summary>The unit's object path.</summary>
    public string Path { get; }

    /// <summary>The unit name.</summary>
    public string Name { get; }

    /// <summary>Reads the unit's common state as a typed record.</summary>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task<UnitProperties> GetPropertiesAsync(CancellationToken cancellationToken) =>
        UnitProperties.From(await GetAllAsync(Interface, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads a service unit's process, limit and device properties as a typed record.</summary>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task<ServiceProperties> GetServicePropertiesAsync(CancellationToken cancellationToken) =>
        ServiceProperties.From(await GetAllAsync(ServiceProperties.Interface, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads every property of <paramref name="interface"/> as raw values.</summary>
    /// <param name="interface">The interface, for example <see cref="Interface"/> or
    /// <see cref="ServiceProperties.Interface"/>.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task<Dictionary<string, VariantValue>> GetAllAsync(string @interface, CancellationToken cancellationToken) =>
        DBusProperties.GetAllAsync(_bus, SystemdManager.Service, Path, @interface, SystemdManager.Context(Name), cancellationToken);

    /// <summary>The type-specific interface of a unit name: <c>org.freedesktop.systemd1.Service</c> for
    /// "x.service", and so on.</summary>
    /// <param name="unitName">The unit name.</param>
    public static string TypeInterface(string unitName)
    {
        int dot = unitName.LastIndexOf('.');
        var type = dot < 0 ? "" : unitName[(dot + 1)..];
        return type.Length == 0 ? Interface : $"org.freedesktop.systemd1.{char.ToUpperInvariant(type[0])}{type[1..]}";
    }
}
