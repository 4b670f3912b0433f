using System.Globalization;

namespace NspawnNative.Interop.Tests.Rdma;

/// <summary>
/// Writes a sysfs tree of RoCE devices as the kernel lays it out: <c>class/infiniband/mlx5_N</c> with every port
/// file, a full GID table with types and netdevs, counters, and <c>class/infiniband_verbs/uverbsN</c> numbered in
/// reverse order, so that only a reader that maps by <c>ibdev</c> gets the mapping right. Used by the tests and
/// by the discovery benchmark.
/// </summary>
public static class SyntheticSysfsTree
{
    /// <summary>Creates the tree with <paramref name="dir"/> as the sysfs root; returns that root.</summary>
    public static string Create(string dir, int hcas, int ports, int gids)
    {
        var ib = Path.Combine(dir, "class", "infiniband");
        var verbs = Path.Combine(dir, "class", "infiniband_verbs");
        for (int h = 0; h < hcas; h++)
        {
            var name = DeviceName(h);
            var dev = Path.Combine(ib, name);
            Write(dev, "node_type", "1: CA\n");
            Write(dev, "node_guid", $"{Guid(h, 0)}\n");
            Write(dev, "sys_image_guid", $"{Guid(h, 0)}\n");
            Write(dev, "fw_ver", "22.36.1010\n");
            Write(dev, "hca_type", "MT4125\n");
            Write(dev, "board_id", "MT_0000000359\n");
            Write(dev, "hw_rev", "0x0\n");
            Write(dev, "node_desc", $"host {name}\n");
            for (int p = 1; p <= ports; p++)
            {
                var port = Path.Combine(dev, "ports", p.ToString(CultureInfo.InvariantCulture));
                Write(port, "state", "4: ACTIVE\n");
                Write(port, "phys_state", "5: LinkUp\n");
                Write(port, "rate", "200 Gb/sec (4X HDR)\n");
                Write(port, "lid", "0x0\n");
                Write(port, "sm_lid", "0x0\n");
                Write(port, "lid_mask_count", "0\n");
                Write(port, "cap_mask", "0x00010000\n");
                Write(port, "link_layer", "Ethernet\n");
                Write(port, "counters/port_xmit_data", "1000\n");
                Write(port, "counters/port_rcv_data", "2000\n");
                for (int g = 0; g < gids; g++)
                {
                    var i = g.ToString(CultureInfo.InvariantCulture);
                    Write(port, "gids/" + i, $"fe80:0000:0000:0000:{Guid(h, p * 1000 + g)}\n");
                    Write(port, "gid_attrs/types/" + i, g % 2 == 0 ? "IB/RoCE v1\n" : "RoCE v2\n");
                    Write(port, "gid_attrs/ndevs/" + i, $"eth{h}p{p}\n");
                }
            }

            int uverbs = hcas - 1 - h;
            var node = Path.Combine(verbs, "uverbs" + uverbs.ToString(CultureInfo.InvariantCulture));
            Write(node, "ibdev", name + "\n");
            Write(node, "dev", $"231:{192 + uverbs}\n");
            Write(node, "abi_version", "1\n");
        }
        return dir;
    }

    /// <summary>The name of device <paramref name="index"/>: mlx5_0, mlx5_1 ...</summary>
    public static string DeviceName(int index) => "mlx5_" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The uverbs node the tree maps to device <paramref name="index"/> of <paramref name="hcas"/>.</summary>
    public static string VerbsName(int index, int hcas) => "uverbs" + (hcas - 1 - index).ToString(CultureInfo.InvariantCulture);

    private static string Guid(int hca, int n) => $"{0x0c42:x4}:{0xa103:x4}:{hca:x4}:{n + 1:x4}";

    private static void Write(string dir, string relative, string text)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
