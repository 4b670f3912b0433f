using System.Text.Json;

namespace NspawnNative.Shell.Tests.Userspace;

/// <summary><c>container rdma-userspace</c> and <c>hugepages</c> on captured trees given with --root/--sysfs-root.</summary>
public sealed class UserspaceVerbTests : IDisposable
{
    private readonly string _root = Path.Join(Path.GetTempPath(), "nn-shell-us-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string text = "")
    {
        var full = _root + path;
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private void DebianRdma(string prefix, bool withRxe)
    {
        const string lib = "/usr/lib/x86_64-linux-gnu";
        Write($"{prefix}{lib}/libibverbs.so.1.14.44.0", "IBVERBS_PRIVATE_34");
        File.CreateSymbolicLink($"{_root}{prefix}{lib}/libibverbs.so.1", "libibverbs.so.1.14.44.0");
        Write($"{prefix}/etc/libibverbs.d/rxe.driver", "driver rxe\n");
        if (withRxe)
            Write($"{prefix}{lib}/libibverbs/librxe-rdmav34.so");
        Write($"{prefix}/var/lib/dpkg/status", "Package: libibverbs1\nStatus: install ok installed\nArchitecture: amd64\nVersion: 44.0-2\n");
        Write($"{prefix}/var/lib/dpkg/info/libibverbs1:amd64.list", $"{lib}/libibverbs.so.1.14.44.0\n{lib}/libibverbs.so.1\n");
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task Rdma_userspace_passes_or_fails_on_the_rxe_provider(bool containerHasRxe, int exitCode)
    {
        DebianRdma("", withRxe: true);
        DebianRdma("/var/lib/machines/c1", containerHasRxe);
        Write("/sys/class/infiniband/rxe0/node_desc", "rxe\n");

        var r = await ShellHarness.RunAsync(["--root", _root, "--sysfs-root", _root + "/sys", "container", "rdma-userspace", "c1", "--json"]);

        Assert.True(r.ExitCode == exitCode, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(containerHasRxe, doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("44.0-2", doc.RootElement.GetProperty("container").GetProperty("libibverbs").GetProperty("package").GetProperty("version").GetString());
        if (!containerHasRxe)
            Assert.Contains("does not fit the host: the container has no rxe provider library (librxe-rdmav*.so)", r.Err);
    }

    [Fact]
    public async Task A_machine_without_a_root_directory_fails()
    {
        Directory.CreateDirectory(_root);
        var r = await ShellHarness.RunAsync(["--root", _root, "container", "rdma-userspace", "nope"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("has no root directory", r.Err);
    }

    [Fact]
    public async Task Hugepages_lists_the_captured_pools()
    {
        Write("/proc/self/mountinfo", "40 25 0:34 / /dev/hugepages rw,relatime shared:16 - hugetlbfs hugetlbfs rw,pagesize=2M\n");
        Write("/proc/self/limits", "Max locked memory         unlimited            unlimited            bytes\n");
        Write("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "16\n");
        Write("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "12\n");

        var r = await ShellHarness.RunAsync(["--root", _root, "--sysfs-root", _root + "/sys", "hugepages"]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"2048kB\s+16\s+12\s+0\s+0", r.Out);
        Assert.Contains("OK hugepages.mount", r.Out);
    }
}
