using System.Diagnostics;
using NspawnNative.Interop.Verbs;
using static NspawnNative.Interop.Verbs.IbvNative;

namespace NspawnNative.Interop.SelfTest;

/// <summary>
/// One side of the RC ping-pong: PD, page-aligned buffer, MR, CQ (rx depth + 1 entries) and RC QP, set up as
/// ibv_rc_pingpong does, and its send/receive loop. The work requests, SGE and completions live in native memory
/// and are built once, so the loop allocates nothing on the managed heap.
/// </summary>
internal sealed unsafe class PingPongEndpoint : IDisposable
{
    private const ulong RecvWrId = 1, SendWrId = 2;
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);

    private readonly VerbsContext _context;
    private readonly PingPongOptions _options;
    private readonly int _gidIndex;
    private readonly PdHandle _pd;
    private readonly NativeBuffer _buffer;
    private readonly MrHandle _mr;
    private readonly CqHandle _cq;
    private readonly QpHandle _qp;
    private readonly NativeBuffer _work;
    private readonly ibv_send_wr* _sendWr;
    private readonly ibv_recv_wr* _recvWr;
    private readonly ibv_wc* _wc;
    private readonly void** _bad;
    private int _routs;

    public PingPongEndpoint(VerbsContext context, PingPongOptions options, int gidIndex, VerbsPortAttributes port)
    {
        _context = context;
        _options = options;
        _gidIndex = gidIndex;
        _pd = context.AllocPd();
        _buffer = new NativeBuffer((nuint)options.Size);
        _mr = context.RegisterMemory(_pd, _buffer, IBV_ACCESS_LOCAL_WRITE);
        _cq = context.CreateCq(options.RxDepth + 1);
        var init = new ibv_qp_init_attr
        {
            cap = new ibv_qp_cap { max_send_wr = 1, max_recv_wr = (uint)options.RxDepth, max_send_sge = 1, max_recv_sge = 1 },
            qp_type = IBV_QPT_RC,
        };
        _qp = context.CreateQp(_pd, _cq, init);

        ibv_qp_attr attr = default;
        ibv_qp_init_attr queried = default;
        uint sendFlags = IBV_SEND_SIGNALED;
        if (ibv_query_qp(_qp.Native, &attr, IBV_QP_CAP, &queried) == 0 && queried.cap.max_inline_data >= (uint)options.Size)
            sendFlags |= IBV_SEND_INLINE;

        attr = new ibv_qp_attr { qp_state = IBV_QPS_INIT, pkey_index = 0, port_num = (byte)options.IbPort, qp_access_flags = 0 };
        context.ModifyQp(_qp, ref attr, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT | IBV_QP_ACCESS_FLAGS, "INIT");

        // One native block: SGE, send WR, receive WR, two completions and the bad-WR pointer.
        _work = new NativeBuffer((nuint)(sizeof(ibv_sge) + sizeof(ibv_send_wr) + sizeof(ibv_recv_wr) + 2 * sizeof(ibv_wc) + sizeof(nint)), 64);
        var sge = (ibv_sge*)_work.Pointer;
        _sendWr = (ibv_send_wr*)(sge + 1);
        _recvWr = (ibv_recv_wr*)(_sendWr + 1);
        _wc = (ibv_wc*)(_recvWr + 1);
        _bad = (void**)(_wc + 2);
        *sge = new ibv_sge { addr = (ulong)_buffer.Pointer, length = (uint)options.Size, lkey = _mr.Native->lkey };
        _sendWr->wr_id = SendWrId;
        _sendWr->sg_list = sge;
        _sendWr->num_sge = 1;
        _sendWr->opcode = IBV_WR_SEND;
        _sendWr->send_flags = sendFlags;
        _recvWr->wr_id = RecvWrId;
        _recvWr->sg_list = sge;
        _recvWr->num_sge = 1;

        _routs = PostReceives(options.RxDepth);
        if (_routs < options.RxDepth)
            throw new SelfTestException($"Could not post {options.RxDepth} receives on '{context.Name}' (only {_routs}); lower the receive depth with -r.");

        var gid = new byte[16];
        if (gidIndex >= 0)
            context.QueryGid(options.IbPort, gidIndex).Address.GetAddressBytes().CopyTo(gid, 0);
        if (port.LinkLayer != VerbsLinkLayer.Ethernet && port.Lid == 0)
            throw new SelfTestException($"Port {options.IbPort} of '{context.Name}' has no LID; is a subnet manager running?");
        Local = new PingPongDestination(port.Lid, (int)_qp.Native->qp_num, Random.Shared.Next() & 0xffffff, gid);
    }

    public PingPongDestination Local { get; }

    /// <summary>Moves the QP to RTR and RTS towards <paramref name="remote"/>, with ibv_rc_pingpong's values.</summary>
    public void Connect(PingPongDestination remote)
    {
        var attr = new ibv_qp_attr
        {
            qp_state = IBV_QPS_RTR,
            path_mtu = VerbsMtu.FromBytes(_options.Mtu),
            dest_qp_num = (uint)remote.Qpn,
            rq_psn = (uint)remote.Psn,
            max_dest_rd_atomic = 1,
            min_rnr_timer = 12,
        };
        attr.ah_attr.dlid = (ushort)remote.Lid;
        attr.ah_attr.port_num = (byte)_options.IbPort;
        if (remote.HasGid && Local.HasGid && IsIPv4(remote.Gid) != IsIPv4(Local.Gid))
            throw new SelfTestException($"The peer's GID {remote.GidText} and ours {Local.GidText} are of different IP families, which "
                + "RoCE v2 cannot connect; pick GIDs of one family on both sides (-g auto prefers IPv4, 'ibv_rc_pingpong -g N' takes an index).");
        if (remote.HasGid)
        {
            attr.ah_attr.is_global = 1;
            attr.ah_attr.grh.hop_limit = 1;
            attr.ah_attr.grh.sgid_index = (byte)Math.Max(_gidIndex, 0);
            fixed (byte* g = remote.Gid)
                Buffer.MemoryCopy(g, attr.ah_attr.grh.dgid.raw, 16, 16);
        }
        _context.ModifyQp(_qp, ref attr, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN | IBV_QP_RQ_PSN
            | IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER, "RTR");

        attr.qp_state = IBV_QPS_RTS;
        attr.timeout = 14;
        attr.retry_cnt = 7;
        attr.rnr_retry = 7;
        attr.sq_psn = (uint)Local.Psn;
        attr.max_rd_atomic = 1;
        _context.ModifyQp(_qp, ref attr, IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN
            | IBV_QP_MAX_QP_RD_ATOMIC, "RTS");
    }

    /// <summary>
    /// The loop of ibv_rc_pingpong: the client sends first; a side posts its next send only when both its previous
    /// send and the peer's message have completed (the "pending" bits, wr_id 1 = receive, 2 = send); receives are
    /// re-posted when at most one is left. Records the time of every received message in
    /// <paramref name="receivedAt"/>.
    /// </summary>
    /// <returns>The Stopwatch timestamps at the start and end of the loop.</returns>
    public (long Start, long End) Run(bool sendFirst, long[] receivedAt, CancellationToken cancellationToken)
    {
        int iters = _options.Iterations;
        ulong pending = RecvWrId;
        long start = Stopwatch.GetTimestamp();
        if (sendFirst)
        {
            PostSend();
            pending |= SendWrId;
        }
        int scnt = 0, rcnt = 0;
        long lastProgress = start;
        long stallTicks = (long)(Stall.TotalSeconds * Stopwatch.Frequency);
        uint spins = 0;
        while (rcnt < iters || scnt < iters)
        {
            int ne = PollCq(_cq.Native, 2, _wc);
            if (ne < 0)
                throw new SelfTestException($"Polling the completion queue on '{_context.Name}' failed ({ne}).");
            if (ne == 0)
            {
                if ((++spins & 0xfff) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Stopwatch.GetTimestamp() - lastProgress > stallTicks)
                        throw new SelfTestException($"No completion for {Stall.TotalSeconds:0} s after {rcnt} received and {scnt} sent messages; the peer stopped or its settings (size, iterations) differ.");
                }
                continue;
            }
            lastProgress = Stopwatch.GetTimestamp();
            for (int i = 0; i < ne; i++)
            {
                var wc = _wc + i;
                if (wc->status != 0)
                    throw new SelfTestException($"A work completion failed with status {wc->status} ({WcStatus(wc->status)}) for wr_id {wc->wr_id} after {rcnt} received and {scnt} sent messages; check the peer's MTU, GID and that it still runs.");
                if (wc->wr_id == SendWrId)
                {
                    scnt++;
                }
                else if (wc->wr_id == RecvWrId)
                {
                    if (--_routs <= 1)
                    {
                        _routs += PostReceives(_options.RxDepth - _routs);
                        if (_routs < _options.RxDepth)
                            throw new SelfTestException($"Could not re-post receives on '{_context.Name}' ({_routs} posted).");
                    }
                    if (rcnt < receivedAt.Length)
                        receivedAt[rcnt] = lastProgress;
                    rcnt++;
                }
                else
                {
                    throw new SelfTestException($"A completion came with unknown wr_id {wc->wr_id}.");
                }
                pending &= ~wc->wr_id;
                if (scnt < iters && pending == 0)
                {
                    PostSend();
                    pending = RecvWrId | SendWrId;
                }
            }
        }
        return (start, Stopwatch.GetTimestamp());
    }

    public void Dispose()
    {
        _qp.Dispose();
        _cq.Dispose();
        _mr.Dispose();
        _pd.Dispose();
        _buffer.Dispose();
        _work.Dispose();
    }

    private static bool IsIPv4(byte[] gid) => new System.Net.IPAddress(gid).IsIPv4MappedToIPv6;

    private void PostSend()
    {
        int rc = IbvNative.PostSend(_qp.Native, _sendWr, (ibv_send_wr**)_bad);
        if (rc != 0)
            throw new SelfTestException($"Posting a send on '{_context.Name}' failed ({VerbsErrors.Describe(rc)}).");
    }

    private int PostReceives(int n)
    {
        int i = 0;
        for (; i < n; i++)
        {
            if (PostRecv(_qp.Native, _recvWr, (ibv_recv_wr**)_bad) != 0)
                break;
        }
        return i;
    }

    private static string WcStatus(int status) => status switch
    {
        5 => "IBV_WC_WR_FLUSH_ERR",
        9 => "IBV_WC_REM_INV_REQ_ERR",
        12 => "IBV_WC_RETRY_EXC_ERR",
        13 => "IBV_WC_RNR_RETRY_EXC_ERR",
        _ => "see ibv_wc_status_str",
    };
}
