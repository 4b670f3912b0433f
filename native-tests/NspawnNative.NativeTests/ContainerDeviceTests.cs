namespace NspawnNative.NativeTests;

/// <summary>
/// The device cgroup of an nspawn machine, seen from inside it through its own systemd: uverbs0 is bound in by a
/// .nspawn file, but opening it is denied (EPERM) until the unit allows the device, by path or by class.
/// </summary>
public sealed class ContainerDeviceTests
{
    // open(2) of the node for read and write, as libibverbs does; dash reports the errno text on failure.
    private const string OpenUverbs = "exec 3<>/dev/infiniband/uverbs0 && echo OPEN-OK";

    [Fact]
    public async Task AContainerStartsAndItsSystemdAnswers()
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync("vmh-start");
        await m.StartAsync();
        var state = await Guest.RunAsync("machinectl", "show", m.Name, "-p", "State", "--value");
        Assert.Equal("running", state.StdOut.Trim());
        var r = await m.ShInsideAsync("cat /proc/1/comm; hostname");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("systemd\n", r.StdOut);
        await m.StopAsync();
        Assert.False(await m.IsKnownAsync(), $"machine '{m.Name}' is still known after poweroff");
    }

    [Fact]
    public async Task OpeningUverbs0IsDeniedWithoutDeviceAllow()
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync("vmh-nodev");
        await m.StartAsync();
        var ls = await m.ShInsideAsync("ls -l /dev/infiniband/uverbs0");
        Assert.True(ls.ExitCode == 0, $"the bind mount did not bring uverbs0 into the container: {ls}");
        var open = await m.ShInsideAsync(OpenUverbs);
        Assert.NotEqual(0, open.ExitCode);
        Assert.Contains("Operation not permitted", open.StdErr);
        var devinfo = await m.RunInsideAsync(["ibv_devinfo", "-d", Guest.RdmaDevice]);
        Assert.NotEqual(0, devinfo.ExitCode);
    }

    [Theory]
    [InlineData("vmh-path", "/dev/infiniband/uverbs0")]
    [InlineData("vmh-class", "char-infiniband_verbs")]
    public async Task OpeningUverbs0WorksWithDeviceAllow(string name, string rule)
    {
        Guest.Require();
        await using var m = await TestMachine.CreateAsync(name, dropIn: $"[Service]\nDeviceAllow={rule} rwm\n");
        await m.StartAsync();
        var allow = await Guest.RunAsync("systemctl", "show", m.Unit, "-p", "DeviceAllow", "--value");
        Assert.Contains(rule, allow.StdOut);
        var open = await m.ShInsideAsync(OpenUverbs);
        Assert.True(open.ExitCode == 0, open.ToString());
        Assert.Contains("OPEN-OK", open.StdOut);
        var devinfo = await m.RunInsideAsync(["ibv_devinfo", "-d", Guest.RdmaDevice]);
        Assert.True(devinfo.ExitCode == 0, devinfo.ToString());
        Assert.Matches($@"hca_id:\s+{Guest.RdmaDevice}\b", devinfo.StdOut);
    }
}
