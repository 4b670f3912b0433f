using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// The properties of one machine on <c>org.freedesktop.machine1.Machine</c>, as <c>machinectl status</c>
/// shows them.
/// </summary>
/// <param name="Name">The machine name.</param>
/// <param name="Id">The machine ID (128-bit, hex), or empty when machined does not know it.</param>
/// <param name="Class">"container" or "vm".</param>
/// <param name="Service">Who registered it, for example "systemd-nspawn".</param>
/// <param name="Unit">The scope or service unit the machine runs in.</param>
/// <param name="Leader">The PID of the machine's leader (its init) on the host.</param>
/// <param name="RootDirectory">The machine's root directory on the host, or empty.</param>
/// <param name="State">"opening", "running" or "closing".</param>
/// <param name="Timestamp">When the machine was registered, or null.</param>
/// <param name="NetworkInterfaces">The host's interface indexes that belong to the machine.</param>
public sealed record MachineProperties(string Name, string Id, string Class, string Service, string Unit, uint Leader,
    string RootDirectory, string State, DateTimeOffset? Timestamp, IReadOnlyList<int> NetworkInterfaces)
{
    internal static MachineProperties From(IReadOnlyDictionary<string, VariantValue> p) => new(
        Name: PropertyValues.String(p, "Name"),
        Id: PropertyValues.Hex(p, "Id"),
        Class: PropertyValues.String(p, "Class"),
        Service: PropertyValues.String(p, "Service"),
        Unit: PropertyValues.String(p, "Unit"),
        Leader: PropertyValues.UInt32(p, "Leader"),
        RootDirectory: PropertyValues.String(p, "RootDirectory"),
        State: PropertyValues.String(p, "State"),
        Timestamp: PropertyValues.Timestamp(p, "Timestamp"),
        NetworkInterfaces: p.TryGetValue("NetworkInterfaces", out var n) && n.Type == VariantValueType.Array ? n.GetArray<int>() : []);
}

/// <summary>
/// Proxy for one object of <c>org.freedesktop.machine1.Machine</c> (a path from
/// <see cref="MachineManager.GetMachineAsync"/> or <see cref="MachineManager.ListMachinesAsync"/>).
/// </summary>
public sealed class Machine
{
    /// <summary>The D-Bus interface this proxy speaks.</summary>
    public const string Interface = "org.freedesktop.machine1.Machine";

    private readonly SystemdBus _bus;

    /// <summary>Creates the proxy for the machine at <paramref name="path"/>.</summary>
    /// <param name="bus">The connection.</param>
    /// <param name="path">The machine's object path.</param>
    /// <param name="name">The machine's name, for error messages.</param>
    public Machine(SystemdBus bus, string path, string name)
    {
        _bus = bus;
        Path = path;
        Name = name;
    }

    /// <summary>The machine's object path.</summary>
    public string Path { get; }

    /// <summary>The machine's name.</summary>
    public string Name { get; }

    /// <summary>Reads every property as a typed record.</summary>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task<MachineProperties> GetPropertiesAsync(CancellationToken cancellationToken) =>
        MachineProperties.From(await GetAllAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Reads every property as raw values (for <c>show</c> with any property name).</summary>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task<Dictionary<string, VariantValue>> GetAllAsync(CancellationToken cancellationToken) =>
        DBusProperties.GetAllAsync(_bus, MachineManager.Service, Path, Interface, $"machine '{Name}'", cancellationToken);
}
