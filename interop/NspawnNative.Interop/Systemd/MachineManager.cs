using Microsoft.Win32.SafeHandles;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// Proxy for <c>org.freedesktop.machine1.Manager</c> at <c>/org/freedesktop/machine1</c>: the machine half of
/// machined (list, inspect, signal, bind, copy, shell). Every name is checked with
/// <see cref="MachineName.Validate"/> before a call is made; <see cref="HostName"/> (".host") also passes.
/// </summary>
public sealed class MachineManager
{
    /// <summary>machined's bus name.</summary>
    public const string Service = "org.freedesktop.machine1";

    /// <summary>The manager's object path.</summary>
    public const string ObjectPath = "/org/freedesktop/machine1";

    /// <summary>The D-Bus interface this proxy speaks.</summary>
    public const string Interface = "org.freedesktop.machine1.Manager";

    /// <summary>SIGRTMIN+4: systemd as a container's init powers off on it (machinectl poweroff).</summary>
    public const int PowerOffSignal = 38;

    /// <summary>SIGINT: systemd as a container's init reboots on it (machinectl reboot).</summary>
    public const int RebootSignal = 2;

    private readonly SystemdBus _bus;

    /// <summary>Creates the proxy on a connection.</summary>
    /// <param name="bus">The connection.</param>
    public MachineManager(SystemdBus bus) => _bus = bus;

    /// <summary>The running machines (ListMachines).</summary>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task<IReadOnlyList<MachineListing>> ListMachinesAsync(CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("ListMachines"), static (m, _) =>
        {
            var reader = m.GetBodyReader();
            var list = new List<MachineListing>();
            var end = reader.ReadArrayStart(DBusType.Struct);
            while (reader.HasNext(end))
            {
                reader.AlignStruct();
                list.Add(new MachineListing(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadObjectPathAsString()));
            }
            return (IReadOnlyList<MachineListing>)list;
        }, "the machine list", cancellationToken);

    /// <summary>The object path of a running machine (GetMachine).</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <exception cref="NotFoundException">No machine of that name runs.</exception>
    public Task<string> GetMachineAsync(string name, CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("GetMachine", Checked(name)), static (m, _) => m.GetBodyReader().ReadObjectPathAsString(),
            Context(name), cancellationToken);

    /// <summary>Returns the <see cref="Machine"/> proxy of a running machine.</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <exception cref="NotFoundException">No machine of that name runs.</exception>
    public async Task<Machine> GetMachineProxyAsync(string name, CancellationToken cancellationToken) =>
        new(_bus, await GetMachineAsync(name, cancellationToken).ConfigureAwait(false), name);

    /// <summary>Sends a signal to a machine's leader or to all its processes (KillMachine).</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="whom">The leader, or every process.</param>
    /// <param name="signal">The signal number.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task KillMachineAsync(string name, KillWhom whom, int signal, CancellationToken cancellationToken)
    {
        MessageBuffer message;
        using (var writer = _bus.Connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(Service, ObjectPath, Interface, "KillMachine", "ssi");
            writer.WriteString(Checked(name));
            writer.WriteString(whom == KillWhom.All ? "all" : "leader");
            writer.WriteInt32(signal);
            message = writer.CreateMessage();
        }
        return _bus.CallAsync(message, Context(name), cancellationToken);
    }

    /// <summary>Kills every process of a machine at once (TerminateMachine).</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task TerminateMachineAsync(string name, CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("TerminateMachine", Checked(name)), Context(name), cancellationToken);

    /// <summary>Bind-mounts a host directory or file into a running machine (BindMountMachine).</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="source">The absolute path on the host.</param>
    /// <param name="destination">The absolute path in the machine; the source path when null or empty.</param>
    /// <param name="readOnly">Mount read-only.</param>
    /// <param name="mkdir">Create the destination when missing.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task BindMountMachineAsync(string name, string source, string? destination, bool readOnly, bool mkdir,
        CancellationToken cancellationToken)
    {
        MessageBuffer message;
        using (var writer = _bus.Connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(Service, ObjectPath, Interface, "BindMountMachine", "sssbb");
            writer.WriteString(Checked(name));
            writer.WriteString(Absolute(source));
            writer.WriteString(string.IsNullOrEmpty(destination) ? source : Absolute(destination));
            writer.WriteBool(readOnly);
            writer.WriteBool(mkdir);
            message = writer.CreateMessage();
        }
        return _bus.CallAsync(message, Context(name), cancellationToken);
    }

    /// <summary>Copies a file or tree from the host into a running machine (CopyToMachine).</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="source">The absolute path on the host.</param>
    /// <param name="destination">The absolute path in the machine; the source path when null or empty.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task CopyToMachineAsync(string name, string source, string? destination, CancellationToken cancellationToken) =>
        Copy("CopyToMachine", name, source, destination, cancellationToken);

    /// <summary>Copies a file or tree from a running machine to the host (CopyFromMachine).</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="source">The absolute path in the machine.</param>
    /// <param name="destination">The absolute path on the host; the source path when null or empty.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task CopyFromMachineAsync(string name, string source, string? destination, CancellationToken cancellationToken) =>
        Copy("CopyFromMachine", name, source, destination, cancellationToken);

    /// <summary>
    /// Runs a command (or the user's login shell) in a machine on a new pseudo-terminal (OpenMachineShell): the
    /// machine's own systemd starts it as a transient unit, so its cgroup, limits and device policy apply.
    /// </summary>
    /// <param name="name">The machine name.</param>
    /// <param name="user">The user to run as; empty for root.</param>
    /// <param name="command">The program and its arguments; empty for the user's login shell.</param>
    /// <param name="environment">Extra "NAME=value" assignments.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The pty's master side; the caller relays and disposes it.</returns>
    public Task<MachineShell> OpenMachineShellAsync(string name, string user, IReadOnlyList<string> command,
        IReadOnlyList<string> environment, CancellationToken cancellationToken)
    {
        MessageBuffer message;
        using (var writer = _bus.Connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(Service, ObjectPath, Interface, "OpenMachineShell", "sssasas");
            writer.WriteString(Checked(name));
            writer.WriteString(user);
            // machined wants the program path and a full argv (argv[0] included); empty both for a login shell.
            writer.WriteString(command.Count > 0 ? command[0] : "");
            writer.WriteArray(command.ToArray());
            writer.WriteArray(environment.ToArray());
            message = writer.CreateMessage();
        }
        return _bus.CallAsync(message, static (m, _) =>
        {
            var reader = m.GetBodyReader();
            var pty = reader.ReadHandle<SafeFileHandle>() ?? throw new SystemdException("machined returned no pty handle; try again.");
            return new MachineShell(pty, reader.ReadString());
        }, Context(name), cancellationToken);
    }

    /// <summary>The IP addresses of a machine's network namespace (GetMachineAddresses).</summary>
    /// <param name="name">The machine name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task<IReadOnlyList<MachineAddress>> GetMachineAddressesAsync(string name, CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("GetMachineAddresses", Checked(name)), static (m, _) =>
        {
            var reader = m.GetBodyReader();
            var list = new List<MachineAddress>();
            var end = reader.ReadArrayStart(DBusType.Struct);
            while (reader.HasNext(end))
            {
                reader.AlignStruct();
                int family = reader.ReadInt32();
                list.Add(new MachineAddress(family, new System.Net.IPAddress(reader.ReadArrayOfByte())));
            }
            return (IReadOnlyList<MachineAddress>)list;
        }, Context(name), cancellationToken);

    /// <summary>
    /// Watches MachineNew and MachineRemoved. Add the watch before the action that causes the signal, or it can
    /// be missed; disposing the result stops the watch.
    /// </summary>
    /// <param name="onChange">Called with the machine name and true for MachineNew, false for MachineRemoved;
    /// must not throw.</param>
    /// <param name="cancellationToken">Abandons adding the match.</param>
    public async Task<IDisposable> WatchMachinesAsync(Action<string, bool> onChange, CancellationToken cancellationToken)
    {
        var added = await _bus.Connection.WatchSignalAsync(Service, ObjectPath, Interface, "MachineNew", ReadName,
            n => { if (n.HasValue) onChange(n.Value, true); }, ObserverFlags.None, emitOnCapturedContext: false)
            .AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var removed = await _bus.Connection.WatchSignalAsync(Service, ObjectPath, Interface, "MachineRemoved", ReadName,
                n => { if (n.HasValue) onChange(n.Value, false); }, ObserverFlags.None, emitOnCapturedContext: false)
                .AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Both(added, removed);
        }
        catch
        {
            added.Dispose();
            throw;
        }
    }

    private static string ReadName(Message m, object? _) => m.GetBodyReader().ReadString();

    private Task Copy(string member, string name, string source, string? destination, CancellationToken cancellationToken) =>
        _bus.CallAsync(Call(member, Checked(name), Absolute(source),
            string.IsNullOrEmpty(destination) ? source : Absolute(destination)), Context(name), cancellationToken);

    private MessageBuffer Call(string member, params string[] args) => _bus.StringCall(Service, ObjectPath, Interface, member, args);

    private static string Absolute(string path) => path.StartsWith('/')
        ? path
        : throw new InvalidInputException($"Path '{path}' is not absolute; give a path that starts with '/'.");

    /// <summary>machined's name for the host itself, listed next to the machines.</summary>
    public const string HostName = ".host";

    // The host's pseudo-machine is the one name machined accepts that machine names may not take.
    private static string Checked(string name) => name == HostName ? name : MachineName.Validate(name);

    internal static string Context(string name) => $"machine '{name}'";

    private sealed class Both(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
