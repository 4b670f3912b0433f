using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// Proxy for <c>org.freedesktop.systemd1.Manager</c> at <c>/org/freedesktop/systemd1</c>: units, jobs, unit
/// files and reloads.
/// </summary>
public sealed class SystemdManager
{
    /// <summary>systemd's bus name.</summary>
    public const string Service = "org.freedesktop.systemd1";

    /// <summary>The manager's object path.</summary>
    public const string ObjectPath = "/org/freedesktop/systemd1";

    /// <summary>The D-Bus interface this proxy speaks.</summary>
    public const string Interface = "org.freedesktop.systemd1.Manager";

    private readonly SystemdBus _bus;

    /// <summary>Creates the proxy on a connection.</summary>
    /// <param name="bus">The connection.</param>
    public SystemdManager(SystemdBus bus) => _bus = bus;

    /// <summary>The object path of a loaded unit (GetUnit).</summary>
    /// <param name="unit">The unit name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <exception cref="NotFoundException">The unit is not loaded.</exception>
    public Task<string> GetUnitAsync(string unit, CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("GetUnit", unit), ReadPath, Context(unit), cancellationToken);

    /// <summary>The object path of a unit, loading it from disk when needed (LoadUnit).</summary>
    /// <param name="unit">The unit name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task<string> LoadUnitAsync(string unit, CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("LoadUnit", unit), ReadPath, Context(unit), cancellationToken);

    /// <summary>Returns the <see cref="Unit"/> proxy of a unit, loading it when needed.</summary>
    /// <param name="unit">The unit name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task<Unit> GetUnitProxyAsync(string unit, CancellationToken cancellationToken) =>
        new(_bus, await LoadUnitAsync(unit, cancellationToken).ConfigureAwait(false), unit);

    /// <summary>Queues a start job (StartUnit); see <see cref="RunJobAsync"/> to wait for its result.</summary>
    /// <param name="unit">The unit name.</param>
    /// <param name="mode">"replace", "fail", ...</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The job's object path.</returns>
    public Task<string> StartUnitAsync(string unit, string mode, CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("StartUnit", unit, mode), ReadPath, Context(unit), cancellationToken);

    /// <summary>Queues a stop job (StopUnit).</summary>
    /// <param name="unit">The unit name.</param>
    /// <param name="mode">"replace", "fail", ...</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The job's object path.</returns>
    public Task<string> StopUnitAsync(string unit, string mode, CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("StopUnit", unit, mode), ReadPath, Context(unit), cancellationToken);

    /// <summary>Queues a restart job (RestartUnit).</summary>
    /// <param name="unit">The unit name.</param>
    /// <param name="mode">"replace", "fail", ...</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The job's object path.</returns>
    public Task<string> RestartUnitAsync(string unit, string mode, CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("RestartUnit", unit, mode), ReadPath, Context(unit), cancellationToken);

    /// <summary>Sets unit properties live (SetUnitProperties), optionally persisting them as a drop-in under
    /// /etc/systemd/system.control.</summary>
    /// <param name="unit">The unit name.</param>
    /// <param name="runtime">True for /run (lost at reboot), false for /etc.</param>
    /// <param name="properties">The properties, as systemd's a(sv).</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task SetUnitPropertiesAsync(string unit, bool runtime, IReadOnlyList<KeyValuePair<string, VariantValue>> properties,
        CancellationToken cancellationToken)
    {
        MessageBuffer message;
        using (var writer = _bus.Connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(Service, ObjectPath, Interface, "SetUnitProperties", "sba(sv)");
            writer.WriteString(unit);
            writer.WriteBool(runtime);
            var array = writer.WriteArrayStart(DBusType.Struct);
            foreach (var (name, value) in properties)
            {
                writer.WriteStructureStart();
                writer.WriteString(name);
                writer.WriteVariant(value);
            }
            writer.WriteArrayEnd(array);
            message = writer.CreateMessage();
        }
        return _bus.CallAsync(message, Context(unit), cancellationToken);
    }

    /// <summary>
    /// Adds DeviceAllow entries to a unit live (SetUnitProperties): they merge with the unit's own. An empty list
    /// is refused, because systemd reads an empty DeviceAllow as "remove every rule", the template's own included.
    /// </summary>
    /// <param name="unit">The unit name, for example <c>systemd-nspawn@web.service</c>.</param>
    /// <param name="entries">The rules to add; at least one.</param>
    /// <param name="runtime">True for /run (lost at reboot), false for /etc.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <exception cref="InvalidInputException">The list is empty, or an entry is malformed.</exception>
    public Task AddDeviceAllowAsync(string unit, IReadOnlyList<DeviceAllowEntry> entries, bool runtime, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
            throw new InvalidInputException(
                $"No device rules given for '{unit}': an empty DeviceAllow would remove every rule the unit has; name at least one device.");
        foreach (var e in entries)
        {
            bool pathOk = e.Path.StartsWith("/dev/", StringComparison.Ordinal) || e.Path.StartsWith("char-", StringComparison.Ordinal)
                || e.Path.StartsWith("block-", StringComparison.Ordinal);
            if (!pathOk || e.Access.Length == 0 || e.Access.Any(c => c is not ('r' or 'w' or 'm')))
                throw new InvalidInputException(
                    $"Invalid device rule '{e.Path} {e.Access}': give a /dev path, char-CLASS or block-CLASS and access made of r, w and m.");
        }
        var rules = entries.Select(e => Struct.Create(e.Path, e.Access)).ToArray();
        var value = new Array<Struct<string, string>>(rules).AsVariantValue();
        return SetUnitPropertiesAsync(unit, runtime, [new("DeviceAllow", value)], cancellationToken);
    }

    /// <summary>Enables unit files (EnableUnitFiles): creates the [Install] symlinks.</summary>
    /// <param name="files">Unit names or paths.</param>
    /// <param name="runtime">True for /run, false for /etc.</param>
    /// <param name="force">Replace symlinks that point elsewhere.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The changes made.</returns>
    public Task<IReadOnlyList<UnitFileChange>> EnableUnitFilesAsync(IReadOnlyList<string> files, bool runtime, bool force,
        CancellationToken cancellationToken)
    {
        MessageBuffer message;
        using (var writer = _bus.Connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(Service, ObjectPath, Interface, "EnableUnitFiles", "asbb");
            writer.WriteArray(files.ToArray());
            writer.WriteBool(runtime);
            writer.WriteBool(force);
            message = writer.CreateMessage();
        }
        return _bus.CallAsync(message, static (m, _) =>
        {
            var reader = m.GetBodyReader();
            reader.ReadBool();
            return ReadChanges(ref reader);
        }, Context(string.Join("', '", files)), cancellationToken);
    }

    /// <summary>Disables unit files (DisableUnitFiles): removes their [Install] symlinks.</summary>
    /// <param name="files">Unit names.</param>
    /// <param name="runtime">True for /run, false for /etc.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The changes made.</returns>
    public Task<IReadOnlyList<UnitFileChange>> DisableUnitFilesAsync(IReadOnlyList<string> files, bool runtime,
        CancellationToken cancellationToken)
    {
        MessageBuffer message;
        using (var writer = _bus.Connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(Service, ObjectPath, Interface, "DisableUnitFiles", "asb");
            writer.WriteArray(files.ToArray());
            writer.WriteBool(runtime);
            message = writer.CreateMessage();
        }
        return _bus.CallAsync(message, static (m, _) =>
        {
            var reader = m.GetBodyReader();
            return ReadChanges(ref reader);
        }, Context(string.Join("', '", files)), cancellationToken);
    }

    /// <summary>Reloads every unit file and drop-in (Reload, what <c>systemctl daemon-reload</c> does).</summary>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task ReloadAsync(CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("Reload"), "the systemd manager", cancellationToken);

    /// <summary>Asks systemd to send job and unit signals to this connection (Subscribe).</summary>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task SubscribeAsync(CancellationToken cancellationToken) =>
        _bus.CallAsync(Call("Subscribe"), "the systemd manager", cancellationToken);

    /// <summary>Watches JobRemoved. Subscribe and add the watch before queuing the job, or the signal can be
    /// missed; disposing the result stops the watch.</summary>
    /// <param name="onJobRemoved">Called for every finished job; must not throw.</param>
    /// <param name="cancellationToken">Abandons adding the match.</param>
    public async Task<IDisposable> WatchJobRemovedAsync(Action<JobResult> onJobRemoved, CancellationToken cancellationToken) =>
        await _bus.Connection.WatchSignalAsync(Service, ObjectPath, Interface, "JobRemoved",
            static (m, _) =>
            {
                var r = m.GetBodyReader();
                return new JobResult(r.ReadUInt32(), r.ReadObjectPathAsString(), r.ReadString(), r.ReadString());
            },
            (Notification<JobResult> n) => { if (n.HasValue) onJobRemoved(n.Value); },
            ObserverFlags.None, emitOnCapturedContext: false).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Queues a job and waits for its own result: subscribes, adds the JobRemoved match, then calls
    /// <paramref name="queue"/> (for example <see cref="StartUnitAsync"/>), so the signal cannot be missed even
    /// when the job ends before the call returns.
    /// </summary>
    /// <param name="queue">Queues the job and returns its object path.</param>
    /// <param name="timeout">How long to wait for the job.</param>
    /// <param name="cancellationToken">Abandons the wait (the job goes on).</param>
    /// <returns>The job's result; check <see cref="JobResult.Succeeded"/>.</returns>
    /// <exception cref="JobTimeoutException">The job did not finish within <paramref name="timeout"/>.</exception>
    public async Task<JobResult> RunJobAsync(Func<CancellationToken, Task<string>> queue, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var finished = new Dictionary<string, JobResult>(StringComparer.Ordinal);
        var gate = new object();
        string? wanted = null;
        var done = new TaskCompletionSource<JobResult>(TaskCreationOptions.RunContinuationsAsynchronously);

        await SubscribeAsync(cancellationToken).ConfigureAwait(false);
        using var watch = await WatchJobRemovedAsync(r =>
        {
            lock (gate)
            {
                if (wanted is null)
                    finished[r.Job] = r;
                else if (r.Job == wanted)
                    done.TrySetResult(r);
            }
        }, cancellationToken).ConfigureAwait(false);

        var job = await queue(cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            // The job may have ended between the call and its reply: its signal is then already recorded.
            wanted = job;
            if (finished.TryGetValue(job, out var early))
                done.TrySetResult(early);
        }
        try
        {
            return await done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new JobTimeoutException($"Job '{job}' did not finish within {timeout.TotalSeconds:0} s; 'unit show' tells what the unit is doing.", e);
        }
    }

    private static string ReadPath(Message m, object? _) => m.GetBodyReader().ReadObjectPathAsString();

    private static IReadOnlyList<UnitFileChange> ReadChanges(ref Reader reader)
    {
        var list = new List<UnitFileChange>();
        var end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            list.Add(new UnitFileChange(reader.ReadString(), reader.ReadString(), reader.ReadString()));
        }
        return list;
    }

    private MessageBuffer Call(string member, params string[] args) => _bus.StringCall(Service, ObjectPath, Interface, member, args);

    internal static string Context(string unit) => $"unit '{unit}'";
}
