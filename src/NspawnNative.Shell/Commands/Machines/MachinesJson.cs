using System.Text.Json.Serialization;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>One row of <c>list --json</c>.</summary>
internal sealed record MachineRow(string Machine, string Class, string Service, string? Os, string? Version, IReadOnlyList<string> Addresses);

/// <summary><c>status --json</c>: machined's properties plus the OS read from the machine's root.</summary>
internal sealed record MachineStatus(MachineProperties Machine, string? Os, IReadOnlyList<string> Addresses);

/// <summary>The JSON of the machine, unit, device and memlock verbs (source-generated, AOT-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<MachineRow>))]
[JsonSerializable(typeof(MachineStatus))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(SortedDictionary<string, List<string>>))]
[JsonSerializable(typeof(JobResult))]
[JsonSerializable(typeof(List<UnitFileChange>))]
[JsonSerializable(typeof(List<DeviceAllowEntry>))]
[JsonSerializable(typeof(MemlockReport))]
internal sealed partial class MachinesJsonContext : JsonSerializerContext;
