using System.Text.Json;
using NspawnNative.Interop.Config;

namespace NspawnNative.NativeTests.Config;

/// <summary>
/// The effective drop-in view of 'nspawn-native unit dropins NAME --json' against systemd's own view of the unit
/// (systemctl show), with drop-ins in /etc, /run, system.control, the template's directory and a reset.
/// </summary>
public sealed class DropInViewTests
{
    private const string Name = "cfg-dropins";
    private const string Unit = $"systemd-nspawn@{Name}.service";

    private static readonly (string Path, string Text)[] Files =
    [
        ($"/etc/systemd/system/{Unit}.d/10-etc.conf", "[Service]\nDeviceAllow=/dev/infiniband/uverbs0 rw\nLimitMEMLOCK=1M\n"),
        ($"/run/systemd/system/{Unit}.d/20-run.conf", "[Service]\nDeviceAllow=char-infiniband_verbs\n"),
        // Same name in /run is masked by the one in /etc.
        ($"/run/systemd/system/{Unit}.d/10-etc.conf", "[Service]\nDeviceAllow=/dev/null rw\n"),
        ("/etc/systemd/system/systemd-nspawn@.service.d/15-cfg-template.conf", "[Service]\n# trailing text is part of a value\nDeviceAllow=/dev/infiniband/rdma_cm rw\n"),
        ($"/run/systemd/system.control/{Unit}.d/30-reset.conf", "[Service]\nDeviceAllow=\nDeviceAllow=char-pts rw\nDeviceAllow=/dev/net/tun\n"),
        ($"/etc/systemd/system/{Unit}.d/40-late.conf", "[Service]\nDeviceAllow=/dev/infiniband/uverbs0 rw\nLimitMEMLOCK=infinity\nDevicePolicy=strict\n"),
    ];

    [Fact]
    public async Task TheTemplateAloneMatchesSystemd()
    {
        Guest.Require();
        await Cleanup();
        await Expect("systemctl", "daemon-reload");
        await CompareAsync();
    }

    [Fact]
    public async Task DropInsInEveryKindOfDirectoryMatchSystemd()
    {
        Guest.Require();
        try
        {
            foreach (var (path, text) in Files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, text);
            }
            await Expect("systemctl", "daemon-reload");
            var ours = await CompareAsync();
            Assert.Equal(5, ours.GetProperty("drop_in_paths").GetArrayLength());
        }
        finally
        {
            await Cleanup();
            await Guest.RunAsync("systemctl", "daemon-reload");
        }
    }

    private static async Task<JsonElement> CompareAsync()
    {
        var show = await Guest.RunAsync("systemctl", "show", Unit, "-p", "DeviceAllow", "-p", "DevicePolicy", "-p", "LimitMEMLOCK", "-p", "DropInPaths");
        Assert.True(show.ExitCode == 0, show.ToString());
        var lines = show.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Value(string key) => lines.Where(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Select(l => l[(key.Length + 1)..]).LastOrDefault() ?? "";
        var systemdAllow = lines.Where(l => l.StartsWith("DeviceAllow=", StringComparison.Ordinal)).Select(l => l["DeviceAllow=".Length..])
            .Where(v => v.Length > 0).Order(StringComparer.Ordinal).ToList();

        var r = await Guest.ShellAsync("unit", "dropins", Name, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var ours = JsonDocument.Parse(r.StdOut).RootElement;
        var ourAllow = ours.GetProperty("device_allow").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList();

        Assert.True(systemdAllow.SequenceEqual(ourAllow), $"DeviceAllow differs.\nsystemd: {string.Join(" | ", systemdAllow)}\nours:    {string.Join(" | ", ourAllow)}\n{show.StdOut}");
        Assert.Equal(Value("DevicePolicy"), ours.GetProperty("device_policy").GetString());
        Assert.Equal(Value("DropInPaths").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            ours.GetProperty("drop_in_paths").EnumerateArray().Select(e => e.GetString()!));
        var memlock = ours.GetProperty("limit_memlock");
        if (memlock.ValueKind == JsonValueKind.String)
        {
            var hard = ConfigValues.ParseLimit(memlock.GetString()!)!.Value.Hard;
            Assert.Equal(Value("LimitMEMLOCK"), hard == ConfigValues.Infinity ? "infinity" : hard.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return ours;
    }

    private static async Task Cleanup()
    {
        foreach (var (path, _) in Files)
        {
            if (File.Exists(path))
                File.Delete(path);
        }
        await Guest.ShAsync($"rmdir /etc/systemd/system/{Unit}.d /run/systemd/system/{Unit}.d /run/systemd/system.control/{Unit}.d 2>/dev/null; true");
    }

    private static async Task Expect(string file, params string[] args)
    {
        var r = await Guest.RunAsync(file, args);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {r}");
    }
}
