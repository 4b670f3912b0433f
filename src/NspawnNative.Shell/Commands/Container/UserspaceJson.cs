using System.Text.Json.Serialization;
using NspawnNative.Interop.Userspace;
using NspawnNative.Interop.Workflows.Doctor;

namespace NspawnNative.Shell.Commands.Container;

/// <summary>What <c>container rdma-userspace NAME --json</c> prints.</summary>
internal sealed record RdmaUserspaceView(
    string Machine,
    string MachineRoot,
    bool Ok,
    RdmaUserspace Host,
    RdmaUserspace Container,
    IReadOnlyList<HcaProviderRow> Hcas,
    IReadOnlyList<UserspaceMismatch> Mismatches,
    IReadOnlyList<DoctorCheckResult> Checks);

/// <summary>What <c>hugepages [NAME] --json</c> prints.</summary>
internal sealed record HugePagesView(
    bool HugetlbfsMounted,
    HugePageState Host,
    string? Machine,
    int? LeaderPid,
    IReadOnlyList<DoctorCheckResult> Checks);

/// <summary>Source-generated JSON (AOT) for the userspace and hugepages verbs.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RdmaUserspaceView))]
[JsonSerializable(typeof(HugePagesView))]
internal sealed partial class UserspaceJsonContext : JsonSerializerContext;
