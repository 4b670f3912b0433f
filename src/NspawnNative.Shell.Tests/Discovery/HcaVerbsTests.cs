using System.Text.Json;

namespace NspawnNative.Shell.Tests.Discovery;

/// <summary>hca list/show/nodes on the captured three-hcas tree with an empty /dev.</summary>
public sealed class HcaVerbsTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sysfs", "three-hcas");

    private readonly string _dev = Directory.CreateTempSubdirectory("nn-dev-").FullName;

    public void Dispose() => Directory.Delete(_dev, recursive: true);

    private Task<ShellHarness.Result> Run(params string[] args) =>
        ShellHarness.RunAsync(["--sysfs-root", Fixture, "--dev-root", _dev, "--root", _dev, .. args]);

    [Fact]
    public async Task List_prints_one_line_per_device_with_ports_and_uverbs()
    {
        var r = await Run("hca", "list");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "TYPE", "FIRMWARE", "PORTS", "LINK", "UVERBS"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["mlx4_0", "-", "2.31.5050", "1:ACTIVE/40", "2:ACTIVE/40", "InfiniBand", "none"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("hfi1_0 ", lines[1]);
        Assert.Contains("1:ACTIVE/25", lines[3]);
        Assert.Equal("3 devices listed.", lines[^1]);
    }

    [Fact]
    public async Task List_json_has_the_device_and_port_fields()
    {
        var r = await Run("hca", "list", "--json");
        Assert.Equal(0, r.ExitCode);
        var devices = JsonDocument.Parse(r.Out).RootElement.GetProperty("devices");
        Assert.Equal(3, devices.GetArrayLength());
        var mlx5 = devices[2];
        Assert.Equal("mlx5_0", mlx5.GetProperty("name").GetString());
        Assert.Equal("0a7f:bc12:45ef:d23b", mlx5.GetProperty("node_guid").GetString());
        Assert.Equal("MT4118", mlx5.GetProperty("hca_type").GetString());
        Assert.Equal(JsonValueKind.Null, mlx5.GetProperty("verbs").ValueKind);
        Assert.Equal(JsonValueKind.Null, devices[0].GetProperty("hca_type").ValueKind);
        var port = mlx5.GetProperty("ports")[0];
        Assert.Equal(1, port.GetProperty("port").GetInt32());
        Assert.Equal("ACTIVE", port.GetProperty("state").GetString());
        Assert.Equal(4, port.GetProperty("state_id").GetInt32());
        Assert.Equal(4, port.GetProperty("phys_state_id").GetInt32());
        Assert.Equal(25, port.GetProperty("rate_gbps").GetDouble());
        Assert.Equal("25 Gb/sec (1X EDR)", port.GetProperty("rate_text").GetString());
        Assert.Equal("InfiniBand", port.GetProperty("link_layer").GetString());
        foreach (var name in new[] { "lid", "sm_lid", "lmc", "cap_mask", "sys_image_guid", "fw_ver", "board_id", "node_type" })
            Assert.True(port.TryGetProperty(name, out _) || mlx5.TryGetProperty(name, out _), name);
        Assert.Equal(0, port.GetProperty("gids").GetArrayLength());
    }

    [Fact]
    public async Task Show_prints_the_ibstat_fields_of_one_device()
    {
        var r = await Run("hca", "show", "mlx5_0");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("CA 'mlx5_0'\n", r.Out.ReplaceLineEndings("\n"));
        Assert.Contains("CA type: MT4118", r.Out);
        Assert.Contains("Firmware version: 14.28.2006", r.Out);
        Assert.Contains("Node GUID: 0x0a7fbc1245efd23b", r.Out);
        Assert.Contains("Port 1:", r.Out);
        Assert.Contains("State: ACTIVE (4)", r.Out);
        Assert.Contains("Rate: 25 Gb/sec (1X EDR)", r.Out);
        Assert.Contains("Link layer: InfiniBand", r.Out);
        Assert.DoesNotContain("mlx4_0", r.Out);
    }

    [Fact]
    public async Task Show_json_of_two_devices_keeps_their_order()
    {
        var r = await Run("hca", "show", "--json", "mlx5_0", "hfi1_0");
        Assert.Equal(0, r.ExitCode);
        var devices = JsonDocument.Parse(r.Out).RootElement.GetProperty("devices");
        Assert.Equal(["mlx5_0", "hfi1_0"], devices.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Show_of_an_unknown_device_fails_naming_it()
    {
        var r = await Run("hca", "show", "mlx9_9");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Contains("No RDMA device 'mlx9_9'", r.Err);
    }

    [Fact]
    public async Task Nodes_reports_every_device_without_a_uverbs_node()
    {
        var r = await Run("hca", "nodes");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("0 nodes listed.", r.Out);
        foreach (var name in new[] { "hfi1_0", "mlx4_0", "mlx5_0" })
            Assert.Contains($"{name}: sysfs announces no uverbs node", r.Out);

        var json = await Run("hca", "nodes", "--json");
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(0, root.GetProperty("nodes").GetArrayLength());
        Assert.Equal(["hfi1_0", "mlx4_0", "mlx5_0"], root.GetProperty("devices_without_verbs").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("list")]
    [InlineData("show")]
    [InlineData("nodes")]
    public async Task No_devices_is_one_clear_error_line(string verb)
    {
        var r = await ShellHarness.RunAsync(["--sysfs-root", _dev, "--dev-root", _dev, "--root", _dev, "hca", verb]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.StartsWith($"error: no RDMA devices found under '{_dev}/class/infiniband'; load the HCA's driver", r.Err.Trim());
        Assert.Single(r.Err.Trim().Split('\n'));
    }
}
