using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NspawnNative.NativeTests.Discovery;

/// <summary>
/// 'hca show --json' and 'hca nodes --json' on the guest's soft-RoCE device, field by field against the tools
/// operators use: ibv_devinfo -v, ibstat and stat(1).
/// </summary>
public sealed partial class HcaOracleTests
{
    private static async Task<JsonElement> ShowJsonAsync()
    {
        var r = await Guest.ShellAsync("hca", "show", "--json", Guest.RdmaDevice);
        Assert.True(r.ExitCode == 0, r.ToString());
        var devices = JsonDocument.Parse(r.StdOut).RootElement.GetProperty("devices");
        Assert.Equal(1, devices.GetArrayLength());
        return devices[0];
    }

    private static async Task<JsonElement> NodesJsonAsync(params string[] extra)
    {
        var r = await Guest.ShellAsync(["hca", "nodes", "--json", .. extra]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonDocument.Parse(r.StdOut).RootElement.GetProperty("nodes");
    }

    private static string? Str(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).ToString();

    /// <summary>"key: value" lines of a tool's output, first occurrence of each key below a marker line.</summary>
    private static Dictionary<string, string> Fields(string text, string? startAfter = null)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        bool on = startAfter is null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (!on)
            {
                on = line.StartsWith(startAfter!, StringComparison.Ordinal);
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon > 0 && !fields.ContainsKey(line[..colon]))
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return fields;
    }

    private static int Id(string text) => int.Parse(IdInParens().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task HcaShowAgreesWithIbvDevinfoOnRxe0()
    {
        Guest.Require();
        var dev = await ShowJsonAsync();
        var info = await Guest.RunAsync("ibv_devinfo", "-v", "-d", Guest.RdmaDevice);
        Assert.True(info.ExitCode == 0, info.ToString());
        var f = Fields(info.StdOut);
        var port = dev.GetProperty("ports")[0];
        var p = Fields(info.StdOut, "port:");

        Assert.Equal(f["node_guid"], Str(dev, "node_guid"));
        Assert.Equal(f["sys_image_guid"], Str(dev, "sys_image_guid"));
        // Soft devices have an empty fw_ver file (null for us); ibv_devinfo formats the raw version 0 as "0.0.0".
        if (Str(dev, "fw_ver") is { } fw)
            Assert.Equal(f["fw_ver"], fw);
        else
            Assert.Contains(f["fw_ver"], new[] { "", "0.0.0" });
        Assert.Equal(dev.GetProperty("ports").GetArrayLength(), int.Parse(f["phys_port_cnt"], CultureInfo.InvariantCulture));
        Assert.Equal(Id(p["state"]), port.GetProperty("state_id").GetInt32());
        Assert.Equal(Id(p["phys_state"]), port.GetProperty("phys_state_id").GetInt32());
        Assert.Equal(int.Parse(p["sm_lid"], CultureInfo.InvariantCulture), port.GetProperty("sm_lid").GetInt32());
        Assert.Equal(int.Parse(p["port_lid"], CultureInfo.InvariantCulture), port.GetProperty("lid").GetInt32());
        Assert.Equal(Convert.ToInt32(p["port_lmc"], 16), port.GetProperty("lmc").GetInt32());
        Assert.Equal(p["link_layer"], Str(port, "link_layer"));

        // GID[  0]:		fe80::5054:ff:fe12:3456, RoCE v2 (the address form varies between rdma-core versions).
        var expected = GidLine().Matches(info.StdOut)
            .Select(m => (Index: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Gid: IPAddress.Parse(m.Groups[2].Value), Type: m.Groups[3].Value.Trim()))
            .ToList();
        var ours = port.GetProperty("gids").EnumerateArray()
            .Select(g => (Index: g.GetProperty("index").GetInt32(), Gid: IPAddress.Parse(g.GetProperty("gid").GetString()!), Type: g.GetProperty("type").GetString()!))
            .ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(e => e.Index), ours.Select(o => o.Index));
        Assert.Equal(expected.Select(e => e.Gid), ours.Select(o => o.Gid));
        // sysfs says "IB/RoCE v1" where ibv_devinfo says "IB" or "RoCE v1", by link layer.
        Assert.Equal(expected.Select(e => e.Type), ours.Select(o => o.Type == "IB/RoCE v1" ? (p["link_layer"] == "Ethernet" ? "RoCE v1" : "IB") : o.Type));
        Assert.All(port.GetProperty("gids").EnumerateArray(), g => Assert.Equal(Guest.RdmaNetdev, g.GetProperty("netdev").GetString()));
    }

    [Fact]
    public async Task HcaShowAgreesWithIbstatOnRxe0()
    {
        Guest.Require();
        var dev = await ShowJsonAsync();
        var stat = await Guest.RunAsync("ibstat", Guest.RdmaDevice);
        Assert.True(stat.ExitCode == 0, stat.ToString());
        var f = Fields(stat.StdOut);
        var p = Fields(stat.StdOut, "Port 1:");
        var port = dev.GetProperty("ports")[0];

        Assert.Equal(f["CA type"], Str(dev, "hca_type") ?? "");
        Assert.Equal(f["Firmware version"], Str(dev, "fw_ver") ?? "");
        Assert.Equal(f["Node GUID"], "0x" + Str(dev, "node_guid")!.Replace(":", "", StringComparison.Ordinal));
        Assert.Equal(f["System image GUID"], "0x" + Str(dev, "sys_image_guid")!.Replace(":", "", StringComparison.Ordinal));
        Assert.Equal(p["State"], Str(port, "state"), ignoreCase: true);
        Assert.Equal(p["Physical state"], Str(port, "phys_state"));
        Assert.Equal(double.Parse(p["Rate"], CultureInfo.InvariantCulture), port.GetProperty("rate_gbps").GetDouble());
        Assert.Equal(int.Parse(p["Base lid"], CultureInfo.InvariantCulture), port.GetProperty("lid").GetInt32());
        Assert.Equal(int.Parse(p["SM lid"], CultureInfo.InvariantCulture), port.GetProperty("sm_lid").GetInt32());
        Assert.Equal(int.Parse(p["LMC"], CultureInfo.InvariantCulture), port.GetProperty("lmc").GetInt32());
        Assert.Equal(Convert.ToUInt32(p["Capability mask"], 16), port.GetProperty("cap_mask").GetUInt32());
        Assert.Equal(p["Port GUID"], Str(port, "port_guid"));
        Assert.Equal(p["Link layer"], Str(port, "link_layer"));
    }

    [Fact]
    public async Task HcaNodesAgreesWithStatOnDevInfiniband()
    {
        Guest.Require();
        var nodes = await NodesJsonAsync();
        var uverbs = nodes.EnumerateArray().Single(n => n.GetProperty("ib_dev").GetString() == Guest.RdmaDevice && n.GetProperty("kind").GetString() == "verbs");
        Assert.Equal("present", uverbs.GetProperty("status").GetString());
        Assert.True(uverbs.GetProperty("can_open").GetBoolean());
        var allow = uverbs.GetProperty("device_allow");
        Assert.Equal(uverbs.GetProperty("path").GetString() + " rwm", allow.GetProperty("path_rule").GetString());
        Assert.Equal("char-infiniband_verbs rwm", allow.GetProperty("class_rule").GetString());

        foreach (var n in nodes.EnumerateArray().Where(n => n.GetProperty("present").GetBoolean()))
        {
            var path = n.GetProperty("path").GetString()!;
            var s = await Guest.RunAsync("stat", "-L", "-c", "%t %T %a %u %g %F", path);
            Assert.True(s.ExitCode == 0, s.ToString());
            var parts = s.StdOut.Trim().Split(' ', 6);
            Assert.Equal(Convert.ToInt32(parts[0], 16), n.GetProperty("major").GetInt32());
            Assert.Equal(Convert.ToInt32(parts[1], 16), n.GetProperty("minor").GetInt32());
            Assert.Equal(Convert.ToInt32(parts[2], 8), Convert.ToInt32(n.GetProperty("mode").GetString(), 8));
            Assert.Equal(uint.Parse(parts[3], CultureInfo.InvariantCulture), n.GetProperty("uid").GetUInt32());
            Assert.Equal(uint.Parse(parts[4], CultureInfo.InvariantCulture), n.GetProperty("gid").GetUInt32());
            Assert.Equal("character special file", parts[5]);
        }

        // Every character device in /dev/infiniband is listed (udev's by-ibdev/ directory is not a node).
        var ls = await Guest.ShAsync("for n in /dev/infiniband/*; do [ -c $n ] && basename $n; done; true");
        Assert.Equal(ls.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal),
            nodes.EnumerateArray().Where(n => n.GetProperty("present").GetBoolean()).Select(n => n.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AMissingUverbsNodeIsReportedAsMissing()
    {
        Guest.Require();
        var dir = (await Guest.ShAsync("mktemp -d")).StdOut.Trim();
        try
        {
            // A /dev copy with every node but uverbs0, made with mknod from the real numbers.
            var copy = await Guest.ShAsync(
                $"mkdir {dir}/infiniband && for n in /dev/infiniband/*; do b=$(basename $n); {{ [ $b = uverbs0 ] || [ ! -c $n ]; }} && continue; " +
                $"mknod -m 0666 {dir}/infiniband/$b c $((0x$(stat -L -c %t $n))) $((0x$(stat -L -c %T $n))); done; ls {dir}/infiniband");
            Assert.True(copy.ExitCode == 0, copy.ToString());

            var nodes = await NodesJsonAsync("--dev-root", dir);
            var uverbs = nodes.EnumerateArray().Single(n => n.GetProperty("name").GetString() == "uverbs0");
            Assert.Equal("missing", uverbs.GetProperty("status").GetString());
            Assert.False(uverbs.GetProperty("present").GetBoolean());
            Assert.All(nodes.EnumerateArray().Where(n => n.GetProperty("name").GetString() != "uverbs0"),
                n => Assert.Contains(n.GetProperty("status").GetString(), new[] { "present", "unknown" }));

            var show = await Guest.ShellAsync("hca", "show", "--json", "--dev-root", dir, Guest.RdmaDevice);
            var verbs = JsonDocument.Parse(show.StdOut).RootElement.GetProperty("devices")[0].GetProperty("verbs");
            Assert.Equal("uverbs0", verbs.GetProperty("name").GetString());
            Assert.False(verbs.GetProperty("node_present").GetBoolean());

            var list = await Guest.ShellAsync("hca", "list", "--dev-root", dir);
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Contains("uverbs0 (missing in /dev)", list.StdOut);

            // A node with the wrong numbers is a mismatch, not present.
            await Guest.ShAsync($"mknod -m 0666 {dir}/infiniband/uverbs0 c 1 3");
            nodes = await NodesJsonAsync("--dev-root", dir);
            Assert.Equal("mismatch", nodes.EnumerateArray().Single(n => n.GetProperty("name").GetString() == "uverbs0").GetProperty("status").GetString());
        }
        finally
        {
            await Guest.ShAsync($"rm -rf {dir}");
        }
    }

    [GeneratedRegex(@"\((\d+)\)")]
    private static partial Regex IdInParens();

    // An IPv4-mapped GID may be printed as ::ffff:10.0.2.15.
    [GeneratedRegex(@"GID\[\s*(\d+)\]:\s+([0-9a-fA-F:.]+),\s*([^\n]+)")]
    private static partial Regex GidLine();
}
