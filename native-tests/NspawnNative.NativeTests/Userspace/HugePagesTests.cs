using System.Text.Json;

namespace NspawnNative.NativeTests.Userspace;

/// <summary><c>hugepages [NAME]</c> against the guest's sysfs and mount table (findmnt, /proc as oracles).</summary>
public sealed class HugePagesTests
{
    private const string Pool2M = "/sys/kernel/mm/hugepages/hugepages-2048kB";

    [Fact]
    public async Task AReservationMadeInTheGuestShowsInHugepagesJson()
    {
        Guest.Require();
        var reserve = await Guest.ShAsync($"echo 16 > {Pool2M}/nr_hugepages && cat {Pool2M}/nr_hugepages {Pool2M}/free_hugepages");
        try
        {
            Assert.True(reserve.ExitCode == 0, reserve.ToString());
            var counts = reserve.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            Assert.True(counts[0] > 0, $"the kernel reserved no 2 MiB page: {reserve}");

            var r = await Guest.ShellAsync("hugepages", "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            using var doc = JsonDocument.Parse(r.StdOut);
            var pool = doc.RootElement.GetProperty("host").GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("size_kb").GetInt64() == 2048);
            Assert.Equal(counts[0], pool.GetProperty("total").GetInt64());
            Assert.Equal(counts[1], pool.GetProperty("free").GetInt64());

            var fstype = await Guest.RunAsync("findmnt", "-n", "-o", "FSTYPE", "/dev/hugepages");
            Assert.Equal(fstype.StdOut.Trim() == "hugetlbfs", doc.RootElement.GetProperty("hugetlbfs_mounted").GetBoolean());
            var check = doc.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "hugepages.2048kB");
            Assert.Contains($"{counts[0]} reserved", check.GetProperty("reason").GetString());
        }
        finally
        {
            await Guest.ShAsync($"echo 0 > {Pool2M}/nr_hugepages");
        }
    }

    [Theory]
    [InlineData("us-huge", "[Files]\nBind=/dev/hugepages\n", "Ok")]
    [InlineData("us-nohuge", "[Files]\n", "Warn")]
    public async Task AMachineSeesTheHugetlbfsMountOnlyWhenBound(string name, string nspawnFile, string expected)
    {
        Guest.Require();
        var mounted = await Guest.ShAsync("findmnt -n -o FSTYPE /dev/hugepages | grep -qx hugetlbfs || mount -t hugetlbfs hugetlbfs /dev/hugepages");
        Assert.True(mounted.ExitCode == 0, mounted.ToString());
        await using var m = await TestMachine.CreateAsync(name, nspawnFile);
        await m.StartAsync();

        var leader = (await Guest.RunAsync("machinectl", "show", name, "-p", "Leader", "--value")).StdOut.Trim();
        var oracle = await Guest.ShAsync($"awk '$5 == \"/dev/hugepages\" {{ t = $(NF-2) }} END {{ print t }}' /proc/{leader}/mountinfo");
        Assert.Equal(expected == "Ok", oracle.StdOut.Trim() == "hugetlbfs");

        var r = await Guest.ShellAsync("hugepages", name, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.StdOut);
        Assert.Equal(leader, doc.RootElement.GetProperty("leader_pid").GetInt32().ToString());
        var check = doc.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "hugepages.machine");
        Assert.Equal(expected, check.GetProperty("status").GetString());
    }
}
