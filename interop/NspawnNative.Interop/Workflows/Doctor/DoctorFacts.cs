using NspawnNative.Interop.Config;
using NspawnNative.Interop.Rdma;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>
/// What the checks of one doctor run look at, read once: the machine's .nspawn file and unit files, systemd's live
/// view of its unit, and, when it runs, machined's record and its leader's /proc files. A source that cannot be read
/// leaves its fact null and says why in <see cref="Problems"/>; the checks that need it then say they could not verify.
/// </summary>
internal sealed class DoctorFacts
{
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);

    /// <summary>Empty facts; <see cref="GatherAsync"/> fills them (tests set them directly).</summary>
    internal DoctorFacts(HostPaths paths, string? machine, SystemdBus? bus)
    {
        Paths = paths;
        Machine = machine;
        Bus = bus;
    }

    public HostPaths Paths { get; }

    public string? Machine { get; }

    public SystemdBus? Bus { get; }

    public string? Unit => Machine is null ? null : MachineControl.UnitFor(Machine);

    /// <summary>Why a fact is missing, by fact name ("nspawn", "unit-files", "unit", "machine", "leader").</summary>
    public IReadOnlyDictionary<string, string> Problems => _problems;

    /// <summary>The host's RDMA devices and /dev/infiniband nodes (read for every run: the host checks need them).</summary>
    public RdmaSnapshot? Rdma { get; internal set; }

    public NspawnSettingsFile? Nspawn { get; internal set; }

    public UnitDropInView? UnitFiles { get; internal set; }

    public UnitProperties? UnitLive { get; internal set; }

    public ServiceProperties? ServiceLive { get; internal set; }

    /// <summary>machined's record of the machine; null when it does not run (or the bus is not available).</summary>
    public MachineProperties? Running { get; internal set; }

    public string? LeaderLimits { get; internal set; }

    public string? LeaderStatus { get; internal set; }

    public string? LeaderUidMap { get; internal set; }

    /// <summary>True when devices are read from this host's /sys and /dev, not from a captured tree.</summary>
    public bool DevicesAreLive => Paths.SysfsRoot == "/sys" && Paths.DevRoot == "/dev";

    /// <summary>True when /sys and /dev belong to the filesystem root examined (live, or one whole captured tree), so
    /// that nodes can be compared with what a machine of that root sees.</summary>
    public bool DevicesMatchRoot => Paths.SysfsRoot == Paths.UnderRoot("/sys") && Paths.DevRoot == Paths.UnderRoot("/dev");

    /// <summary>The host's uverbs and rdma_cm nodes that exist in /dev: what a machine needs to see and be allowed.</summary>
    public IReadOnlyList<RdmaDevNode> NeededNodes => Rdma?.Nodes
        .Where(n => n.Kind is RdmaNodeKind.Verbs or RdmaNodeKind.RdmaCm && n.Present).ToList() ?? [];

    /// <summary>The machine's unit's effective DeviceAllow rules and DevicePolicy: systemd's live view, else the files'.</summary>
    public (IReadOnlyList<(string Device, string Access)> Rules, string Policy)? DeviceRules =>
        ServiceLive is { } live ? (live.DeviceAllow.Select(e => (e.Path, e.Access)).ToList(), live.DevicePolicy)
        : UnitFiles is { } files ? (files.DeviceAllow.Select(e => (e.Device, e.Access)).ToList(), files.DevicePolicy)
        : null;

    /// <summary>True when the live system is examined: /proc and the bus describe the same host as the files.</summary>
    public bool IsLive => Paths.IsLiveRoot && Bus is not null;

    public string? Problem(string fact) => _problems.GetValueOrDefault(fact);

    internal void SetProblem(string fact, string problem) => _problems[fact] = problem;

    public static async Task<DoctorFacts> GatherAsync(HostPaths paths, string? machine, SystemdBus? bus, CancellationToken cancellationToken)
    {
        var facts = new DoctorFacts(paths, machine is null ? null : MachineName.Validate(machine), bus);
        facts.Rdma = facts.Read("rdma", () => RdmaDiscovery.Discover(paths));
        if (facts.Machine is null)
            return facts;
        facts.Nspawn = facts.Read("nspawn", () => NspawnSettingsFile.Load(paths, facts.Machine));
        facts.UnitFiles = facts.Read("unit-files", () => UnitDropInView.Load(paths, facts.Machine));
        if (!facts.IsLive)
        {
            facts._problems["unit"] = paths.IsLiveRoot ? "no system bus" : $"the files are read under '{paths.Root}', not from the live system";
            facts._problems["machine"] = facts._problems["unit"];
            return facts;
        }
        await facts.ReadLiveAsync(cancellationToken).ConfigureAwait(false);
        return facts;
    }

    private async Task ReadLiveAsync(CancellationToken cancellationToken)
    {
        var systemd = new SystemdManager(Bus!);
        try
        {
            // LoadUnit, not GetUnit: a stopped machine's unit is not loaded, but its configuration is still wanted.
            var path = await systemd.LoadUnitAsync(Unit!, cancellationToken).ConfigureAwait(false);
            var unit = new Systemd.Unit(Bus!, path, Unit!);
            UnitLive = await unit.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            ServiceLive = await unit.GetServicePropertiesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SystemdException e)
        {
            _problems["unit"] = e.Message.TrimEnd('.');
        }

        var machines = new MachineManager(Bus!);
        try
        {
            var proxy = await machines.GetMachineProxyAsync(Machine!, cancellationToken).ConfigureAwait(false);
            Running = await proxy.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            _problems["machine"] = $"machine '{Machine}' is not running";
            return;
        }
        catch (SystemdException e)
        {
            _problems["machine"] = e.Message.TrimEnd('.');
            return;
        }

        var proc = $"/proc/{Running.Leader}";
        LeaderLimits = ReadText("leader", $"{proc}/limits");
        LeaderStatus = ReadText("leader", $"{proc}/status");
        LeaderUidMap = ReadText("leader", $"{proc}/uid_map");
    }

    private string? ReadText(string fact, string path)
    {
        try
        {
            return File.ReadAllText(Paths.UnderRoot(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _problems[fact] = $"cannot read '{path}': {e.Message.TrimEnd('.')}";
            return null;
        }
    }

    private T? Read<T>(string fact, Func<T> read) where T : class
    {
        try
        {
            return read();
        }
        catch (NspawnNativeException e)
        {
            _problems[fact] = e.Message.TrimEnd('.');
            return null;
        }
    }
}
