using NspawnNative.Interop;

namespace NspawnNative.NativeTests;

/// <summary>
/// The guest is what the other suites assume: systemd as PID 1 with machined on the bus, soft-RoCE rxe0 with its
/// uverbs node, rdma-core's tools seeing it, and the NativeAOT nspawn-native installed. Checked with oracles and
/// sysfs, independent of the product's own discovery.
/// </summary>
public sealed class VmHarnessTests
{
    [Fact]
    public async Task SystemdIsPid1WithCgroupV2Only()
    {
        Guest.Require();
        Assert.Equal("systemd", (await File.ReadAllTextAsync("/proc/1/comm")).Trim());
        Assert.True(File.Exists("/sys/fs/cgroup/cgroup.controllers"), "/sys/fs/cgroup is not the unified cgroup v2 hierarchy");
        Assert.False(Directory.Exists("/sys/fs/cgroup/devices"), "a cgroup v1 devices controller is mounted");
    }

    [Fact]
    public async Task MachinedAndSystemdAnswerOnTheSystemBus()
    {
        Guest.Require();
        var machines = await Guest.RunAsync("busctl", "call", "org.freedesktop.machine1", "/org/freedesktop/machine1",
            "org.freedesktop.machine1.Manager", "ListMachines");
        Assert.True(machines.ExitCode == 0, $"machined did not answer ListMachines: {machines}");
        var version = await Guest.RunAsync("busctl", "get-property", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
            "org.freedesktop.systemd1.Manager", "Version");
        Assert.True(version.ExitCode == 0, $"systemd did not answer: {version}");
        Assert.StartsWith("s \"252", version.StdOut.Trim());
    }

    [Fact]
    public async Task Rxe0IsAnActiveRoceDeviceInSysfs()
    {
        Guest.Require();
        var port = $"/sys/class/infiniband/{Guest.RdmaDevice}/ports/1";
        Assert.True(Directory.Exists(port), $"'{port}' is missing");
        Assert.Equal("Ethernet", (await File.ReadAllTextAsync($"{port}/link_layer")).Trim());
        Assert.Equal("4: ACTIVE", (await File.ReadAllTextAsync($"{port}/state")).Trim());
        Assert.StartsWith("fe80:", await File.ReadAllTextAsync($"{port}/gids/0"));
        var ndev = (await File.ReadAllTextAsync($"{port}/gid_attrs/ndevs/0")).Trim();
        Assert.Equal(Guest.RdmaNetdev, ndev);
    }

    [Fact]
    public async Task Uverbs0IsACharacterDeviceWithTheNumbersSysfsGives()
    {
        Guest.Require();
        var sysfs = "/sys/class/infiniband_verbs/uverbs0";
        Assert.Equal(Guest.RdmaDevice, (await File.ReadAllTextAsync($"{sysfs}/ibdev")).Trim());
        var dev = (await File.ReadAllTextAsync($"{sysfs}/dev")).Trim();
        var stat = await Guest.RunAsync("stat", "-c", "%F %t %T", "/dev/infiniband/uverbs0");
        Assert.True(stat.ExitCode == 0, stat.ToString());
        var parts = stat.StdOut.Trim().Split(' ');
        Assert.Equal("character special file", string.Join(' ', parts[..^2]));
        var numbers = $"{Convert.ToInt32(parts[^2], 16)}:{Convert.ToInt32(parts[^1], 16)}";
        Assert.Equal(dev, numbers);
        Assert.Matches(@"(?m)^\s*231\s+infiniband_verbs$", await File.ReadAllTextAsync("/proc/devices"));
    }

    [Fact]
    public async Task IbvDevinfoSeesRxe0WithAnActivePort()
    {
        Guest.Require();
        var r = await Guest.RunAsync("ibv_devinfo", "-d", Guest.RdmaDevice);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches($@"hca_id:\s+{Guest.RdmaDevice}\b", r.StdOut);
        Assert.Contains("PORT_ACTIVE", r.StdOut);
        Assert.Contains("Ethernet", r.StdOut);
    }

    [Fact]
    public async Task NspawnNativeVersionRunsAsTheInstalledNativeBinary()
    {
        Guest.Require();
        Assert.Equal("/usr/local/bin/nspawn-native", Guest.ShellBinary);
        var r = await Guest.ShellAsync("version");
        Assert.True(r.ExitCode == 0, r.ToString());
        var interop = typeof(HostPaths).Assembly.GetName().Version!;
        Assert.StartsWith("nspawn-native ", r.StdOut);
        Assert.Contains($"(interop {interop.Major}.{interop.Minor}.{interop.Build}", r.StdOut);
        // A NativeAOT binary runs without the managed assembly beside it.
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(Guest.ShellBinary)!, "nspawn-native.dll")));
    }
}
