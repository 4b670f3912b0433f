using NspawnNative.Interop.Systemd;
using NspawnNative.Interop.Workflows.Doctor;

namespace NspawnNative.Interop.Tests.Workflows;

/// <summary>What the doctor check tests share: a root with systemd's real template unit (its -U and seven
/// DeviceAllow entries, from the shared fixtures), running one check, and the facts of a running machine.</summary>
internal static class DoctorFixture
{
    public const string Machine = "m1";

    public const int Leader = 4242;

    public static TempRoot NewRoot()
    {
        var root = new TempRoot();
        root.Write("/usr/lib/systemd/system/systemd-nspawn@.service",
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "units", "systemd-nspawn@.service.in")));
        root.Write($"/var/lib/machines/{Machine}/etc/os-release", "ID=debian\n");
        return root;
    }

    /// <summary>Gathers the facts of <paramref name="root"/> (no bus), lets <paramref name="live"/> add what a running
    /// machine would show, and runs one check.</summary>
    public static async Task<DoctorCheckResult> RunAsync(TempRoot root, Func<DoctorFacts, IDoctorCheck> check,
        Action<DoctorFacts>? live = null, string? machine = Machine)
    {
        var facts = await DoctorFacts.GatherAsync(root.Paths, machine, bus: null, CancellationToken.None);
        live?.Invoke(facts);
        var context = machine is null ? DoctorContext.ForHost(root.Paths) : DoctorContext.ForMachine(root.Paths, machine, null, null);
        return Assert.Single(await check(facts).RunAsync(context, CancellationToken.None));
    }

    /// <summary>machined's record of the machine, started at <paramref name="started"/>, with leader <see cref="Leader"/>.</summary>
    public static MachineProperties Running(DateTimeOffset? started = null) => new(Machine, "", "container", "systemd-nspawn",
        $"systemd-nspawn@{Machine}.service", Leader, $"/var/lib/machines/{Machine}", "running", started, []);
}
