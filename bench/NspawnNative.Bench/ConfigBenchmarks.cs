using BenchmarkDotNet.Attributes;
using NspawnNative.Interop;
using NspawnNative.Interop.Config;

namespace NspawnNative.Bench;

/// <summary>The config parser on real files: a generator's 40-line .nspawn for a GPU rack node, systemd's own
/// 340-key fuzz input for unit files, and the effective drop-in view of a machine under a temporary root.</summary>
[MemoryDiagnoser]
public class ConfigBenchmarks
{
    private string _rackNspawn = "";
    private string _directives = "";
    private string _root = "";

    [GlobalSetup]
    public void Setup()
    {
        var fixtures = Fixtures.Folder;
        _rackNspawn = File.ReadAllText(Path.Combine(fixtures, "nspawn", "gb300-rack.nspawn"));
        var directives = File.ReadAllText(Path.Combine(fixtures, "units", "directives.service"));
        _directives = directives[(directives.IndexOf('\n') + 1)..]; // its first line is the fuzz driver's type word
        _root = Directory.CreateTempSubdirectory("nn-bench-config-").FullName;
        var lib = Path.Combine(_root, "usr/lib/systemd/system");
        Directory.CreateDirectory(lib);
        File.Copy(Path.Combine(fixtures, "units", "systemd-nspawn@.service.in"), Path.Combine(lib, "systemd-nspawn@.service"));
        var dropIns = Path.Combine(_root, "etc/systemd/system/systemd-nspawn@rack.service.d");
        Directory.CreateDirectory(dropIns);
        File.Copy(Path.Combine(fixtures, "units", "gb300-rack-override.conf"), Path.Combine(dropIns, "override.conf"));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark]
    public int ParseAndValidateRackNspawn()
    {
        var doc = IniDocument.Parse(_rackNspawn, "gb300-rack.nspawn");
        return NspawnValidator.Validate(doc, trusted: true).Count;
    }

    [Benchmark]
    public int RoundTripRackNspawn() => IniDocument.Parse(_rackNspawn, "gb300-rack.nspawn").Render().Length;

    [Benchmark]
    public int ParseSystemdDirectivesFuzzInput() => IniDocument.Parse(_directives, "directives.service").Render().Length;

    [Benchmark]
    public int EffectiveDropInViewOfAMachine() =>
        UnitDropInView.Load(new HostPaths(_root, "/sys", "/dev"), "rack").DeviceAllow.Count;
}
