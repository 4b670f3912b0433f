namespace NspawnNative.Interop.Tests.Workflows;

/// <summary>
/// Writes a small sysfs tree into a temporary root, shaped like the test VM's soft-RoCE device rxe0 (read there:
/// link_layer Ethernet, uverbs0 at 231:192, rdma_cm at 10:124) and optionally an InfiniBand device with umad/issm.
/// </summary>
internal static class SysfsFixture
{
    public static void WriteRoce(TempRoot root, string device = "rxe0", int uverbs = 0, bool withGid = true)
    {
        var dev = $"/sys/class/infiniband/{device}";
        root.Write($"{dev}/node_type", "1: CA\n");
        root.Write($"{dev}/ports/1/state", "4: ACTIVE\n");
        root.Write($"{dev}/ports/1/phys_state", "5: LinkUp\n");
        root.Write($"{dev}/ports/1/link_layer", "Ethernet\n");
        root.Write($"{dev}/ports/1/gids/0", withGid ? "fe80:0000:0000:0000:5054:00ff:fe12:3456\n" : "0000:0000:0000:0000:0000:0000:0000:0000\n");
        root.Write($"{dev}/ports/1/gids/1", "0000:0000:0000:0000:0000:0000:0000:0000\n");
        if (withGid)
        {
            root.Write($"{dev}/ports/1/gid_attrs/types/0", "RoCE v2\n");
            root.Write($"{dev}/ports/1/gid_attrs/ndevs/0", "eth0\n");
        }
        WriteVerbs(root, device, uverbs);
        root.Write("/sys/class/misc/rdma_cm/dev", "10:124\n");
    }

    public static void WriteInfiniband(TempRoot root, string device = "mlx5_0", int uverbs = 1, int umad = 0)
    {
        var dev = $"/sys/class/infiniband/{device}";
        root.Write($"{dev}/node_type", "1: CA\n");
        root.Write($"{dev}/ports/1/state", "4: ACTIVE\n");
        root.Write($"{dev}/ports/1/link_layer", "InfiniBand\n");
        root.Write($"{dev}/ports/1/gids/0", "fe80:0000:0000:0000:0002:c903:00f9:bfa1\n");
        WriteVerbs(root, device, uverbs);
        root.Write($"/sys/class/infiniband_mad/umad{umad}/ibdev", device + "\n");
        root.Write($"/sys/class/infiniband_mad/umad{umad}/port", "1\n");
        root.Write($"/sys/class/infiniband_mad/umad{umad}/dev", $"231:{umad}\n");
        root.Write($"/sys/class/infiniband_mad/issm{umad}/ibdev", device + "\n");
        root.Write($"/sys/class/infiniband_mad/issm{umad}/port", "1\n");
        root.Write($"/sys/class/infiniband_mad/issm{umad}/dev", $"231:{64 + umad}\n");
    }

    private static void WriteVerbs(TempRoot root, string device, int uverbs)
    {
        var verbs = $"/sys/class/infiniband_verbs/uverbs{uverbs}";
        root.Write($"{verbs}/ibdev", device + "\n");
        root.Write($"{verbs}/dev", $"231:{192 + uverbs}\n");
        root.Write($"{verbs}/abi_version", "1\n");
    }
}
