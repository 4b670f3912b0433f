using System.Text.Json.Serialization;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>An image as list-images --json prints it; sizes and timestamps are null when unknown.</summary>
internal sealed record ImageRow(string Name, string Type, bool ReadOnly, ulong? Usage, ulong? CreatedUsec, ulong? ModifiedUsec);

/// <summary>An image as image-status --json prints it.</summary>
internal sealed record ImageStatusJson(string Name, string Path, string Type, bool ReadOnly, ulong? CreatedUsec, ulong? ModifiedUsec,
    ulong? Usage, ulong? Limit, ulong? UsageExclusive, ulong? LimitExclusive, string? Os);

/// <summary>An image removed by clean.</summary>
internal sealed record CleanedRow(string Name, ulong? Freed);

/// <summary>A transfer as list-transfers --json prints it; percent is null when unknown.</summary>
internal sealed record TransferRow(uint Id, string Type, string Local, string Remote, int? Percent);

/// <summary>How an import, export or pull ended.</summary>
internal sealed record TransferResultJson(uint Id, string Type, string Local, string Result);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(List<ImageRow>))]
[JsonSerializable(typeof(ImageStatusJson))]
[JsonSerializable(typeof(List<CleanedRow>))]
[JsonSerializable(typeof(List<TransferRow>))]
[JsonSerializable(typeof(TransferResultJson))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;
