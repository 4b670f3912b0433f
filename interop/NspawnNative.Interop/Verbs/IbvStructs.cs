using System.Runtime.InteropServices;

// Mirrors of the structs of <infiniband/verbs.h> (rdma-core 44, x86_64) the self-test needs. Field names are the C
// names so the layout test can ask the C compiler for every offset; fields starting with '_' are explicit padding.
#pragma warning disable IDE1006 // C names on purpose.

namespace NspawnNative.Interop.Verbs;

/// <summary>union ibv_gid (&lt;infiniband/verbs.h&gt;): 16 raw bytes, network order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ibv_gid
{
    public fixed byte raw[16];
}

/// <summary>struct ibv_device_attr (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ibv_device_attr
{
    public fixed byte fw_ver[64];
    public ulong node_guid;
    public ulong sys_image_guid;
    public ulong max_mr_size;
    public ulong page_size_cap;
    public uint vendor_id;
    public uint vendor_part_id;
    public uint hw_ver;
    public int max_qp;
    public int max_qp_wr;
    public uint device_cap_flags;
    public int max_sge;
    public int max_sge_rd;
    public int max_cq;
    public int max_cqe;
    public int max_mr;
    public int max_pd;
    public int max_qp_rd_atom;
    public int max_ee_rd_atom;
    public int max_res_rd_atom;
    public int max_qp_init_rd_atom;
    public int max_ee_init_rd_atom;
    public int atomic_cap;
    public int max_ee;
    public int max_rdd;
    public int max_mw;
    public int max_raw_ipv6_qp;
    public int max_raw_ethy_qp;
    public int max_mcast_grp;
    public int max_mcast_qp_attach;
    public int max_total_mcast_qp_attach;
    public int max_ah;
    public int max_fmr;
    public int max_map_per_fmr;
    public int max_srq;
    public int max_srq_wr;
    public int max_srq_sge;
    public ushort max_pkeys;
    public byte local_ca_ack_delay;
    public byte phys_port_cnt;
    private readonly uint _pad0;
}

/// <summary>struct ibv_port_attr (&lt;infiniband/verbs.h&gt;); the exported compat ibv_query_port fills only up to
/// <see cref="flags"/> (48 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_port_attr
{
    public int state;
    public int max_mtu;
    public int active_mtu;
    public int gid_tbl_len;
    public uint port_cap_flags;
    public uint max_msg_sz;
    public uint bad_pkey_cntr;
    public uint qkey_viol_cntr;
    public ushort pkey_tbl_len;
    public ushort lid;
    public ushort sm_lid;
    public byte lmc;
    public byte max_vl_num;
    public byte sm_sl;
    public byte subnet_timeout;
    public byte init_type_reply;
    public byte active_width;
    public byte active_speed;
    public byte phys_state;
    public byte link_layer;
    public byte flags;
    public ushort port_cap_flags2;
    private readonly ushort _pad0;
}

/// <summary>struct ibv_global_route (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_global_route
{
    public ibv_gid dgid;
    public uint flow_label;
    public byte sgid_index;
    public byte hop_limit;
    public byte traffic_class;
    private readonly byte _pad0;
}

/// <summary>struct ibv_ah_attr (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_ah_attr
{
    public ibv_global_route grh;
    public ushort dlid;
    public byte sl;
    public byte src_path_bits;
    public byte static_rate;
    public byte is_global;
    public byte port_num;
    private readonly byte _pad0;
}

/// <summary>struct ibv_qp_cap (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_qp_cap
{
    public uint max_send_wr;
    public uint max_recv_wr;
    public uint max_send_sge;
    public uint max_recv_sge;
    public uint max_inline_data;
}

/// <summary>struct ibv_qp_init_attr (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_qp_init_attr
{
    public nint qp_context;
    public nint send_cq;
    public nint recv_cq;
    public nint srq;
    public ibv_qp_cap cap;
    public int qp_type;
    public int sq_sig_all;
    private readonly uint _pad0;
}

/// <summary>struct ibv_qp_attr (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_qp_attr
{
    public int qp_state;
    public int cur_qp_state;
    public int path_mtu;
    public int path_mig_state;
    public uint qkey;
    public uint rq_psn;
    public uint sq_psn;
    public uint dest_qp_num;
    public uint qp_access_flags;
    public ibv_qp_cap cap;
    public ibv_ah_attr ah_attr;
    public ibv_ah_attr alt_ah_attr;
    public ushort pkey_index;
    public ushort alt_pkey_index;
    public byte en_sqd_async_notify;
    public byte sq_draining;
    public byte max_rd_atomic;
    public byte max_dest_rd_atomic;
    public byte min_rnr_timer;
    public byte port_num;
    public byte timeout;
    public byte retry_cnt;
    public byte rnr_retry;
    public byte alt_port_num;
    public byte alt_timeout;
    private readonly byte _pad0;
    public uint rate_limit;
    private readonly uint _pad1;
}

/// <summary>struct ibv_sge (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_sge
{
    public ulong addr;
    public uint length;
    public uint lkey;
}

/// <summary>struct ibv_send_wr (&lt;infiniband/verbs.h&gt;); the unions are opaque bytes (RC SEND uses none).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ibv_send_wr
{
    public ulong wr_id;
    public ibv_send_wr* next;
    public ibv_sge* sg_list;
    public int num_sge;
    public int opcode;
    public uint send_flags;
    public uint imm_data;
    public fixed byte wr[32];
    public uint qp_type;
    private readonly uint _pad0;
    public fixed byte bind_mw[48];
}

/// <summary>struct ibv_recv_wr (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ibv_recv_wr
{
    public ulong wr_id;
    public ibv_recv_wr* next;
    public ibv_sge* sg_list;
    public int num_sge;
    private readonly uint _pad0;
}

/// <summary>struct ibv_wc (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_wc
{
    public ulong wr_id;
    public int status;
    public int opcode;
    public uint vendor_err;
    public uint byte_len;
    public uint imm_data;
    public uint qp_num;
    public uint src_qp;
    public uint wc_flags;
    public ushort pkey_index;
    public ushort slid;
    public byte sl;
    public byte dlid_path_bits;
    private readonly ushort _pad0;
}

/// <summary>struct ibv_mr (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_mr
{
    public nint context;
    public nint pd;
    public nint addr;
    public nuint length;
    public uint handle;
    public uint lkey;
    public uint rkey;
    private readonly uint _pad0;
}

/// <summary>struct ibv_qp (&lt;infiniband/verbs.h&gt;); pthread_mutex_t (40 bytes) and pthread_cond_t (48 bytes) are
/// opaque.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ibv_qp
{
    public ibv_context* context;
    public nint qp_context;
    public nint pd;
    public nint send_cq;
    public nint recv_cq;
    public nint srq;
    public uint handle;
    public uint qp_num;
    public int state;
    public int qp_type;
    public fixed byte mutex[40];
    public fixed byte cond[48];
    public uint events_completed;
    private readonly uint _pad0;
}

/// <summary>struct ibv_cq (&lt;infiniband/verbs.h&gt;), only its head: the context it belongs to.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ibv_cq
{
    public ibv_context* context;
}

/// <summary>struct ibv_context_ops (&lt;infiniband/verbs.h&gt;): the provider's function table. The data path
/// (poll_cq, req_notify_cq, post_send, post_recv) is only reachable through it: the header's inline functions have
/// no exported symbol.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ibv_context_ops
{
    public nint _compat_query_device;
    public nint _compat_query_port;
    public nint _compat_alloc_pd;
    public nint _compat_dealloc_pd;
    public nint _compat_reg_mr;
    public nint _compat_rereg_mr;
    public nint _compat_dereg_mr;
    public nint alloc_mw;
    public nint bind_mw;
    public nint dealloc_mw;
    public nint _compat_create_cq;
    public nint poll_cq;
    public nint req_notify_cq;
    public nint _compat_cq_event;
    public nint _compat_resize_cq;
    public nint _compat_destroy_cq;
    public nint _compat_create_srq;
    public nint _compat_modify_srq;
    public nint _compat_query_srq;
    public nint _compat_destroy_srq;
    public nint post_srq_recv;
    public nint _compat_create_qp;
    public nint _compat_query_qp;
    public nint _compat_modify_qp;
    public nint _compat_destroy_qp;
    public nint post_send;
    public nint post_recv;
    public nint _compat_create_ah;
    public nint _compat_destroy_ah;
    public nint _compat_attach_mcast;
    public nint _compat_detach_mcast;
    public nint _compat_async_event;
}

/// <summary>struct ibv_context (&lt;infiniband/verbs.h&gt;).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ibv_context
{
    public nint device;
    public ibv_context_ops ops;
    public int cmd_fd;
    public int async_fd;
    public int num_comp_vectors;
    private readonly uint _pad0;
    public fixed byte mutex[40];
    public nint abi_compat;
}
