using System.Text.Json.Serialization;

namespace NspawnNative.Shell.Commands.Config;

internal sealed record DiagnosticJson(string File, int Line, int Column, string Severity, string Message);

internal sealed record SettingJson(string Section, string Key, IReadOnlyList<string> Values, bool Ignored, bool Known);

internal sealed record NspawnShowJson(
    string Machine, string? File, bool Trusted, IReadOnlyList<string> Candidates, IReadOnlyList<SettingJson> Settings,
    IReadOnlyList<DiagnosticJson> Diagnostics);

internal sealed record ValidateJson(string File, bool Trusted, int Errors, int Warnings, IReadOnlyList<DiagnosticJson> Diagnostics);

internal sealed record DropInsJson(
    string Unit, string? UnitFile, IReadOnlyList<string> DropInPaths, IReadOnlyList<string> DeviceAllow, string DevicePolicy,
    string? LimitMemlock, IReadOnlyList<DiagnosticJson> Diagnostics);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(NspawnShowJson))]
[JsonSerializable(typeof(ValidateJson))]
[JsonSerializable(typeof(DropInsJson))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
