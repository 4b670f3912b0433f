using System.Runtime.InteropServices;

#pragma warning disable IDE1006 // C names on purpose.

namespace NspawnNative.Interop.Verbs;

/// <summary>
/// The exported functions of libibverbs.so.1 (&lt;infiniband/verbs.h&gt;). The library is resolved on the first call,
/// so a process without it starts fine; <see cref="VerbsLibrary.EnsureLoaded"/> turns its absence into one line.
/// Pointer-returning calls set errno on failure; the int-returning ones return the errno value itself.
/// </summary>
internal static unsafe partial class IbvNative
{
    public const string Library = "libibverbs.so.1";

    // enum ibv_qp_type, ibv_qp_state, ibv_access_flags, ibv_qp_attr_mask, ibv_wr_opcode, ibv_send_flags
    public const int IBV_QPT_RC = 2;
    public const int IBV_QPS_INIT = 1, IBV_QPS_RTR = 2, IBV_QPS_RTS = 3;
    public const int IBV_ACCESS_LOCAL_WRITE = 1;
    public const int IBV_QP_STATE = 1 << 0, IBV_QP_ACCESS_FLAGS = 1 << 3, IBV_QP_PKEY_INDEX = 1 << 4,
        IBV_QP_PORT = 1 << 5, IBV_QP_AV = 1 << 7, IBV_QP_PATH_MTU = 1 << 8, IBV_QP_TIMEOUT = 1 << 9,
        IBV_QP_RETRY_CNT = 1 << 10, IBV_QP_RNR_RETRY = 1 << 11, IBV_QP_RQ_PSN = 1 << 12,
        IBV_QP_MAX_QP_RD_ATOMIC = 1 << 13, IBV_QP_MIN_RNR_TIMER = 1 << 15, IBV_QP_SQ_PSN = 1 << 16,
        IBV_QP_MAX_DEST_RD_ATOMIC = 1 << 17, IBV_QP_DEST_QPN = 1 << 20, IBV_QP_CAP = 1 << 19;
    public const int IBV_WR_SEND = 2;
    public const uint IBV_SEND_SIGNALED = 1 << 1, IBV_SEND_INLINE = 1 << 3;
    public const byte IBV_LINK_LAYER_INFINIBAND = 1, IBV_LINK_LAYER_ETHERNET = 2;

    // struct verbs_context (<infiniband/verbs.h>) embeds struct ibv_context at its end and grows towards lower
    // addresses, so query_port stays 320 bytes before the ibv_context and sz 8 bytes before it in every version.
    public const int VerbsContextQueryPortOffset = -320;
    public const int VerbsContextSzOffset = -8;
    public const int VerbsContextBytesFromQueryPort = 320 + 328;
    public static readonly nint VerbsAbiIsExtended = -1;

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint* ibv_get_device_list(out int num_devices);

    [LibraryImport(Library)]
    public static partial void ibv_free_device_list(nint* list);

    [LibraryImport(Library)]
    public static partial byte* ibv_get_device_name(nint device);

    [LibraryImport(Library)]
    public static partial ulong ibv_get_device_guid(nint device);

    [LibraryImport(Library, SetLastError = true)]
    public static partial ibv_context* ibv_open_device(nint device);

    [LibraryImport(Library)]
    public static partial int ibv_close_device(ibv_context* context);

    [LibraryImport(Library)]
    public static partial int ibv_query_device(ibv_context* context, ibv_device_attr* device_attr);

    /// <summary>The compat export: fills only the first 48 bytes of struct ibv_port_attr.</summary>
    [LibraryImport(Library)]
    public static partial int ibv_query_port(ibv_context* context, byte port_num, ibv_port_attr* port_attr);

    [LibraryImport(Library)]
    public static partial int ibv_query_gid(ibv_context* context, byte port_num, int index, ibv_gid* gid);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint ibv_alloc_pd(ibv_context* context);

    [LibraryImport(Library)]
    public static partial int ibv_dealloc_pd(nint pd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial ibv_mr* ibv_reg_mr(nint pd, void* addr, nuint length, int access);

    [LibraryImport(Library)]
    public static partial int ibv_dereg_mr(ibv_mr* mr);

    [LibraryImport(Library, SetLastError = true)]
    public static partial ibv_cq* ibv_create_cq(ibv_context* context, int cqe, nint cq_context, nint channel, int comp_vector);

    [LibraryImport(Library)]
    public static partial int ibv_destroy_cq(ibv_cq* cq);

    [LibraryImport(Library, SetLastError = true)]
    public static partial ibv_qp* ibv_create_qp(nint pd, ibv_qp_init_attr* qp_init_attr);

    [LibraryImport(Library)]
    public static partial int ibv_query_qp(ibv_qp* qp, ibv_qp_attr* attr, int attr_mask, ibv_qp_init_attr* init_attr);

    [LibraryImport(Library)]
    public static partial int ibv_modify_qp(ibv_qp* qp, ibv_qp_attr* attr, int attr_mask);

    [LibraryImport(Library)]
    public static partial int ibv_destroy_qp(ibv_qp* qp);

    /// <summary>ibv_query_port as the header's inline does it: the extended context's query_port when the provider
    /// has one (all fields), else the compat export (the first 48 bytes, the rest left zero).</summary>
    public static int QueryPort(ibv_context* context, byte port, ibv_port_attr* attr)
    {
        *attr = default;
        var bytes = (byte*)context;
        if (context->abi_compat == VerbsAbiIsExtended
            && *(nuint*)(bytes + VerbsContextSzOffset) >= VerbsContextBytesFromQueryPort)
        {
            var fn = *(delegate* unmanaged<ibv_context*, byte, ibv_port_attr*, nuint, int>*)(bytes + VerbsContextQueryPortOffset);
            if (fn is not null)
                return fn(context, port, attr, (nuint)sizeof(ibv_port_attr));
        }
        return ibv_query_port(context, port, attr);
    }

    /// <summary>ibv_poll_cq (inline in the header): the provider's ops.poll_cq.</summary>
    public static int PollCq(ibv_cq* cq, int num_entries, ibv_wc* wc) =>
        ((delegate* unmanaged<ibv_cq*, int, ibv_wc*, int>)cq->context->ops.poll_cq)(cq, num_entries, wc);

    /// <summary>ibv_req_notify_cq (inline in the header): the provider's ops.req_notify_cq.</summary>
    public static int ReqNotifyCq(ibv_cq* cq, int solicited_only) =>
        ((delegate* unmanaged<ibv_cq*, int, int>)cq->context->ops.req_notify_cq)(cq, solicited_only);

    /// <summary>ibv_post_send (inline in the header): the provider's ops.post_send.</summary>
    public static int PostSend(ibv_qp* qp, ibv_send_wr* wr, ibv_send_wr** bad_wr) =>
        ((delegate* unmanaged<ibv_qp*, ibv_send_wr*, ibv_send_wr**, int>)qp->context->ops.post_send)(qp, wr, bad_wr);

    /// <summary>ibv_post_recv (inline in the header): the provider's ops.post_recv.</summary>
    public static int PostRecv(ibv_qp* qp, ibv_recv_wr* wr, ibv_recv_wr** bad_wr) =>
        ((delegate* unmanaged<ibv_qp*, ibv_recv_wr*, ibv_recv_wr**, int>)qp->context->ops.post_recv)(qp, wr, bad_wr);
}
