using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NspawnNative.Interop.Workflows.Doctor;

namespace NspawnNative.Shell.Commands.Rdma;

/// <summary>doctor's report as JSON.</summary>
internal sealed record DoctorJson(string? Machine, bool Failed, IReadOnlyList<DoctorCheckJson> Checks)
{
    public static DoctorJson From(DoctorReport report) => new(report.Machine, report.Failed,
        report.Results.Select(r => new DoctorCheckJson(r.Check, StatusWord(r.Status, shortForm: false), r.Reason, r.Fix)).ToList());

    /// <summary>The status as printed: ok, warn, fail, and skip (text) or skipped (JSON and counts).</summary>
    public static string StatusWord(CheckStatus status, bool shortForm) => status switch
    {
        CheckStatus.Ok => "ok",
        CheckStatus.Warn => "warn",
        CheckStatus.Fail => "fail",
        _ => shortForm ? "skip" : "skipped",
    };
}

/// <summary>One check's result as JSON.</summary>
internal sealed record DoctorCheckJson(string Check, string Status, string Reason, string? Fix);

/// <summary>What rdma enable did, and doctor's verdict afterwards.</summary>
internal sealed record RdmaEnableJson(string Title, bool DryRun, bool Changes, IReadOnlyList<string> Applied, string Diff, DoctorJson? Doctor);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DoctorJson))]
[JsonSerializable(typeof(RdmaEnableJson))]
internal sealed partial class DoctorJsonContext : JsonSerializerContext
{
    /// <summary>As <see cref="Default"/>, but quotes in reasons and fixes stay quotes rather than \u0027 escapes.</summary>
    public static DoctorJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
