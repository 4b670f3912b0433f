using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace NspawnNative.Interop.Verbs;

/// <summary>
/// An open RDMA device (struct ibv_context): queries of the device, its ports and GIDs, and, inside the library,
/// the PD/MR/CQ/QP objects of the self-test. Dispose closes the device once every object made from it is freed.
/// </summary>
public sealed unsafe class VerbsContext : IDisposable
{
    private readonly ContextHandle _handle;

    private VerbsContext(ContextHandle handle, string name)
    {
        _handle = handle;
        Name = name;
    }

    /// <summary>The device name.</summary>
    public string Name { get; }

    internal ContextHandle Handle => _handle;

    internal ibv_context* Native => _handle.Native;

    /// <summary>Lists the RDMA devices libibverbs sees.</summary>
    /// <returns>The devices; empty when there are none.</returns>
    /// <exception cref="VerbsLibraryMissingException">libibverbs.so.1 is absent.</exception>
    public static IReadOnlyList<VerbsDeviceInfo> ListDevices()
    {
        VerbsLibrary.EnsureLoaded();
        var list = IbvNative.ibv_get_device_list(out int count);
        if (list is null)
            return [];
        try
        {
            var devices = new List<VerbsDeviceInfo>(count);
            for (int i = 0; i < count; i++)
                devices.Add(new VerbsDeviceInfo(DeviceName(list[i]), ulong.CreateTruncating(IPAddress.NetworkToHostOrder((long)IbvNative.ibv_get_device_guid(list[i])))));
            return devices;
        }
        finally
        {
            IbvNative.ibv_free_device_list(list);
        }
    }

    /// <summary>Opens a device by name, or the first one when <paramref name="deviceName"/> is null.</summary>
    /// <param name="deviceName">The device name, e.g. "rxe0"; null for the first device.</param>
    /// <param name="paths">The sysfs and /dev roots used to explain a failed open; <see cref="HostPaths.Live"/> when null.</param>
    /// <returns>The open device.</returns>
    /// <exception cref="VerbsLibraryMissingException">libibverbs.so.1 is absent.</exception>
    /// <exception cref="VerbsDeviceNotFoundException">No device, or none of that name.</exception>
    /// <exception cref="VerbsPermissionException">The device cgroup or the node's permissions refuse the open.</exception>
    public static VerbsContext Open(string? deviceName, HostPaths? paths = null)
    {
        VerbsLibrary.EnsureLoaded();
        var list = IbvNative.ibv_get_device_list(out int count);
        int listErrno = Marshal.GetLastPInvokeError();
        if (list is null || count == 0)
        {
            if (list is not null)
                IbvNative.ibv_free_device_list(list);
            throw VerbsErrors.NoDevices(listErrno, deviceName, []);
        }
        try
        {
            var names = new List<string>(count);
            for (int i = 0; i < count; i++)
                names.Add(DeviceName(list[i]));
            int index = deviceName is null ? 0 : names.IndexOf(deviceName);
            if (index < 0)
                throw VerbsErrors.NoDevices(0, deviceName, names);
            var context = IbvNative.ibv_open_device(list[index]);
            if (context is null)
                throw VerbsErrors.Open(names[index], Marshal.GetLastPInvokeError(), UverbsNode.Probe(paths ?? HostPaths.Live, names[index]));
            return new VerbsContext(new ContextHandle(context), names[index]);
        }
        finally
        {
            IbvNative.ibv_free_device_list(list);
        }
    }

    /// <summary>Queries the device's attributes (ibv_query_device).</summary>
    /// <returns>The attributes.</returns>
    /// <exception cref="VerbsException">The query failed.</exception>
    public VerbsDeviceAttributes QueryDevice()
    {
        ibv_device_attr attr;
        int rc = IbvNative.ibv_query_device(Native, &attr);
        if (rc != 0)
            throw VerbsErrors.Call("ibv_query_device", $"query RDMA device '{Name}'", rc);
        var fw = Encoding.ASCII.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(attr.fw_ver));
        return new VerbsDeviceAttributes(fw, ulong.CreateTruncating(IPAddress.NetworkToHostOrder((long)attr.node_guid)),
            attr.max_mr_size, attr.max_qp, attr.max_qp_wr, attr.max_cqe, attr.phys_port_cnt);
    }

    /// <summary>Queries a port (ibv_query_port as the header's inline does it, all fields when the provider allows).</summary>
    /// <param name="port">The port number, from 1.</param>
    /// <returns>The port's attributes.</returns>
    /// <exception cref="VerbsException">The port does not exist or the query failed.</exception>
    public VerbsPortAttributes QueryPort(int port)
    {
        ibv_port_attr attr;
        int rc = IbvNative.QueryPort(Native, checked((byte)port), &attr);
        if (rc != 0)
            throw VerbsErrors.Call("ibv_query_port", $"query port {port} of RDMA device '{Name}'", rc);
        return new VerbsPortAttributes(port, attr.state, VerbsMtu.ToBytes(attr.max_mtu), VerbsMtu.ToBytes(attr.active_mtu),
            attr.lid, attr.gid_tbl_len, (VerbsLinkLayer)attr.link_layer);
    }

    /// <summary>Reads one GID table entry (ibv_query_gid).</summary>
    /// <param name="port">The port number, from 1.</param>
    /// <param name="index">The GID index.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="VerbsException">The index is out of range or the query failed.</exception>
    public VerbsGid QueryGid(int port, int index)
    {
        ibv_gid gid;
        int rc = IbvNative.ibv_query_gid(Native, checked((byte)port), index, &gid);
        if (rc != 0)
            throw VerbsErrors.Call("ibv_query_gid", $"read GID {index} of port {port} of RDMA device '{Name}'", rc == -1 ? 22 : rc);
        return new VerbsGid(index, new IPAddress(new ReadOnlySpan<byte>(gid.raw, 16)));
    }

    /// <summary>The RoCE type of a GID entry as sysfs reports it ("IB/RoCE v1" or "RoCE v2"), or null when unknown.</summary>
    /// <param name="paths">The sysfs root to read from.</param>
    /// <param name="port">The port number.</param>
    /// <param name="index">The GID index.</param>
    /// <returns>The type text, or null.</returns>
    public string? GidType(HostPaths paths, int port, int index)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var file = paths.UnderSysfs($"/sys/class/infiniband/{Name}/ports/{port}/gid_attrs/types/{index}");
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // TODO (verbs): PD, MR, CQ and QP stay internal to the self-test; a public object layer over them (and SRQ,
    // completion channels) waits for a second user, so the library's public API does not promise a shape too early.
    internal PdHandle AllocPd()
    {
        var pd = IbvNative.ibv_alloc_pd(Native);
        if (pd == 0)
            throw VerbsErrors.Call("ibv_alloc_pd", $"allocate a protection domain on '{Name}'", Marshal.GetLastPInvokeError());
        return new PdHandle(pd, _handle);
    }

    internal MrHandle RegisterMemory(PdHandle pd, NativeBuffer buffer, int access)
    {
        var mr = IbvNative.ibv_reg_mr(pd.Native, buffer.Pointer, buffer.Length, access);
        if (mr is null)
            throw VerbsErrors.Pin("ibv_reg_mr", $"register {buffer.Length} bytes of memory on '{Name}'", Marshal.GetLastPInvokeError());
        return new MrHandle(mr, pd);
    }

    internal CqHandle CreateCq(int entries)
    {
        var cq = IbvNative.ibv_create_cq(Native, entries, 0, 0, 0);
        if (cq is null)
            throw VerbsErrors.Pin("ibv_create_cq", $"create a completion queue of {entries} entries on '{Name}'", Marshal.GetLastPInvokeError());
        return new CqHandle(cq, _handle);
    }

    internal QpHandle CreateQp(PdHandle pd, CqHandle cq, ibv_qp_init_attr attr)
    {
        attr.send_cq = (nint)cq.Native;
        attr.recv_cq = (nint)cq.Native;
        var qp = IbvNative.ibv_create_qp(pd.Native, &attr);
        if (qp is null)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno == 12
                ? VerbsErrors.Pin("ibv_create_qp", $"create a queue pair on '{Name}'", errno)
                : VerbsErrors.Call("ibv_create_qp", $"create a queue pair on '{Name}'", errno);
        }
        return new QpHandle(qp, pd, cq);
    }

    internal void ModifyQp(QpHandle qp, ref ibv_qp_attr attr, int mask, string state)
    {
        fixed (ibv_qp_attr* p = &attr)
        {
            int rc = IbvNative.ibv_modify_qp(qp.Native, p, mask);
            if (rc != 0)
                throw VerbsErrors.Call("ibv_modify_qp", $"move the queue pair on '{Name}' to {state}", rc);
        }
    }

    /// <summary>Closes the device (after every object made from it is freed).</summary>
    public void Dispose() => _handle.Dispose();

    private static string DeviceName(nint device) =>
        Marshal.PtrToStringUTF8((nint)IbvNative.ibv_get_device_name(device)) ?? "?";
}
