using System.Text.Json;
using System.Text.Json.Serialization;
using NspawnNative.Interop.Rdma;

namespace NspawnNative.Shell.Commands.Hca;

/// <summary>The JSON of 'hca list' and 'hca show'.</summary>
internal sealed record HcaDevicesJson(IReadOnlyList<RdmaDevice> Devices, IReadOnlyList<string> Warnings);

/// <summary>The JSON of 'hca nodes'.</summary>
/// <param name="Nodes">The nodes in /dev/infiniband compared with sysfs.</param>
/// <param name="DevicesWithoutVerbs">Devices for which sysfs announces no uverbs node at all.</param>
/// <param name="Warnings">Files that could not be read or parsed.</param>
internal sealed record HcaNodesJson(IReadOnlyList<RdmaDevNode> Nodes, IReadOnlyList<string> DevicesWithoutVerbs, IReadOnlyList<string> Warnings);

/// <summary>Enums as snake_case strings ("rdma_cm", "missing") rather than numbers.</summary>
internal sealed class SnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower)
    where T : struct, Enum;

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(SnakeCaseEnumConverter<RdmaNodeKind>), typeof(SnakeCaseEnumConverter<RdmaNodeStatus>)])]
[JsonSerializable(typeof(HcaDevicesJson))]
[JsonSerializable(typeof(HcaNodesJson))]
internal sealed partial class HcaJsonContext : JsonSerializerContext;
