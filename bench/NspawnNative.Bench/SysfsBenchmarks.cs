using BenchmarkDotNet.Attributes;
using NspawnNative.Interop;
using NspawnNative.Interop.Rdma;
using NspawnNative.Interop.Tests.Rdma;

namespace NspawnNative.Bench;

/// <summary>The sysfs and /dev reader: a full discovery (what <c>hca show</c> and <c>hca nodes</c> read) of a
/// generated tree of 16 HCAs x 2 ports x 256 GIDs, and of the real three-HCA capture. Target: under 50 ms for the
/// generated tree.</summary>
[MemoryDiagnoser]
public class SysfsBenchmarks
{
    private string _dir = "";
    private HostPaths _generated = HostPaths.Live;
    private HostPaths _captured = HostPaths.Live;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("nn-bench-sysfs-").FullName;
        var sysfs = Path.Combine(_dir, "sys");
        SyntheticSysfsTree.Create(sysfs, hcas: 16, ports: 2, gids: 256);
        var dev = Path.Combine(_dir, "dev");
        Directory.CreateDirectory(dev);
        _generated = new HostPaths(_dir, sysfs, dev);
        _captured = new HostPaths(_dir, Path.Combine(Fixtures.Folder, "sysfs", "three-hcas"), dev);
        if (RdmaDiscovery.Discover(_generated).Devices.Count != 16)
            throw new InvalidOperationException("the generated tree does not hold 16 devices");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public int DiscoverGenerated16x2x256() => RdmaDiscovery.Discover(_generated).Devices.Count;

    [Benchmark]
    public int DiscoverCapturedThreeHcas() => RdmaDiscovery.Discover(_captured).Devices.Count;
}
