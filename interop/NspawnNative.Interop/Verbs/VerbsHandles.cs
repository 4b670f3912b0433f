using System.Runtime.InteropServices;

namespace NspawnNative.Interop.Verbs;

/// <summary>
/// The base of the verbs SafeHandles. A child (PD, MR, CQ, QP) holds a reference on its parent for its whole life,
/// so the native objects are freed children first (QP, then CQ and MR, then PD, then the context) whatever order
/// the finalizer or Dispose runs them in.
/// </summary>
internal abstract class VerbsHandle : SafeHandle
{
    private readonly SafeHandle? _parent;

    protected VerbsHandle(nint handle, SafeHandle? parent) : base(0, ownsHandle: true)
    {
        if (parent is not null)
        {
            bool added = false;
            parent.DangerousAddRef(ref added);
            _parent = parent;
        }
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    protected abstract int Free(nint native);

    protected sealed override bool ReleaseHandle()
    {
        int rc = Free(handle);
        _parent?.DangerousRelease();
        return rc == 0;
    }
}

/// <summary>Owns a struct ibv_context (ibv_close_device).</summary>
internal sealed unsafe class ContextHandle(ibv_context* context) : VerbsHandle((nint)context, null)
{
    public ibv_context* Native => (ibv_context*)handle;

    protected override int Free(nint native) => IbvNative.ibv_close_device((ibv_context*)native);
}

/// <summary>Owns a struct ibv_pd (ibv_dealloc_pd).</summary>
internal sealed class PdHandle(nint pd, ContextHandle context) : VerbsHandle(pd, context)
{
    public nint Native => handle;

    protected override int Free(nint native) => IbvNative.ibv_dealloc_pd(native);
}

/// <summary>Owns a struct ibv_mr (ibv_dereg_mr).</summary>
internal sealed unsafe class MrHandle(ibv_mr* mr, PdHandle pd) : VerbsHandle((nint)mr, pd)
{
    public ibv_mr* Native => (ibv_mr*)handle;

    protected override int Free(nint native) => IbvNative.ibv_dereg_mr((ibv_mr*)native);
}

/// <summary>Owns a struct ibv_cq (ibv_destroy_cq).</summary>
internal sealed unsafe class CqHandle(ibv_cq* cq, ContextHandle context) : VerbsHandle((nint)cq, context)
{
    public ibv_cq* Native => (ibv_cq*)handle;

    protected override int Free(nint native) => IbvNative.ibv_destroy_cq((ibv_cq*)native);
}

/// <summary>Owns a struct ibv_qp (ibv_destroy_qp). It references its CQ as well as its PD: the QP must go first.</summary>
internal sealed unsafe class QpHandle : VerbsHandle
{
    private readonly CqHandle _cq;

    public QpHandle(ibv_qp* qp, PdHandle pd, CqHandle cq) : base((nint)qp, pd)
    {
        bool added = false;
        cq.DangerousAddRef(ref added);
        _cq = cq;
    }

    public ibv_qp* Native => (ibv_qp*)handle;

    protected override int Free(nint native)
    {
        int rc = IbvNative.ibv_destroy_qp((ibv_qp*)native);
        _cq.DangerousRelease();
        return rc;
    }
}

/// <summary>Owns page-aligned native memory (NativeMemory.AlignedAlloc), used for buffers the NIC reads and writes.</summary>
internal sealed unsafe class NativeBuffer : SafeHandle
{
    public NativeBuffer(nuint length, nuint alignment = 4096) : base(0, ownsHandle: true)
    {
        SetHandle((nint)NativeMemory.AlignedAlloc(length == 0 ? 1 : length, alignment));
        NativeMemory.Clear((void*)handle, length);
        Length = length;
    }

    public nuint Length { get; }

    public byte* Pointer => (byte*)handle;

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        return true;
    }
}
