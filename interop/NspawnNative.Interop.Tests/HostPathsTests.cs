namespace NspawnNative.Interop.Tests;

public class HostPathsTests
{
    [Fact]
    public void The_live_host_maps_paths_to_themselves()
    {
        Assert.Equal("/etc/systemd/nspawn/a.nspawn", HostPaths.Live.UnderRoot("/etc/systemd/nspawn/a.nspawn"));
        Assert.Equal("/sys/class/infiniband", HostPaths.Live.UnderSysfs("/sys/class/infiniband"));
        Assert.Equal("/dev/infiniband/uverbs0", HostPaths.Live.UnderDev("/dev/infiniband/uverbs0"));
    }

    [Fact]
    public void Other_roots_prefix_the_path()
    {
        var p = new HostPaths("/srv/img", "/tmp/capture/sys", "/tmp/capture/dev");
        Assert.Equal("/srv/img/etc/systemd/nspawn/a.nspawn", p.UnderRoot("/etc/systemd/nspawn/a.nspawn"));
        Assert.Equal("/tmp/capture/sys/class/infiniband", p.UnderSysfs("/sys/class/infiniband"));
        Assert.Equal("/tmp/capture/dev/infiniband/uverbs0", p.UnderDev("/dev/infiniband/uverbs0"));
    }

    [Theory]
    [InlineData("etc/passwd")]
    [InlineData("/etc/../../passwd")]
    public void Relative_or_climbing_paths_are_refused(string path)
    {
        Assert.Throws<InvalidInputException>(() => new HostPaths("/srv/img", "/sys", "/dev").UnderRoot(path));
    }
}

public class MachineNameTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("gpu-node_01.rack3")]
    [InlineData("a")]
    public void Valid_names_pass(string name) => Assert.Equal(name, MachineName.Validate(name));

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("../etc", "it starts or ends with '.'")]
    [InlineData("a/b", "it contains '/'")]
    [InlineData("a..b", "it contains '..'")]
    [InlineData("a b", "it contains the character ' '")]
    [InlineData(".hidden", "it starts or ends with '.'")]
    public void Invalid_names_are_refused_with_the_reason(string name, string reason)
    {
        var e = Assert.Throws<InvalidInputException>(() => MachineName.Validate(name));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Names_longer_than_64_characters_are_refused()
    {
        Assert.True(MachineName.IsValid(new string('a', 64), out _));
        Assert.False(MachineName.IsValid(new string('a', 65), out var reason));
        Assert.Contains("65 characters", reason);
    }
}
