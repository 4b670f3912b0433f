using System.Runtime.InteropServices;

namespace NspawnNative.Interop.Verbs;

/// <summary>Whether libibverbs.so.1 can be used here. The binding loads it on first use, so a host without it can
/// still run everything that does not touch verbs.</summary>
public static class VerbsLibrary
{
    /// <summary>True when libibverbs.so.1 loads.</summary>
    public static bool IsAvailable => NativeLibrary.TryLoad(IbvNative.Library, typeof(VerbsLibrary).Assembly, null, out _);

    /// <summary>Throws a one-sentence exception when libibverbs.so.1 cannot be loaded.</summary>
    /// <exception cref="VerbsLibraryMissingException">The library is absent.</exception>
    public static void EnsureLoaded()
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(IbvNative.Library, typeof(VerbsLibrary).Assembly, null));
        }
        catch (DllNotFoundException e)
        {
            throw VerbsErrors.Library(e);
        }
    }
}
