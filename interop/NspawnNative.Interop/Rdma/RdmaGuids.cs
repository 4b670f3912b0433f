namespace NspawnNative.Interop.Rdma;

/// <summary>GUID spellings: sysfs and ibv_devinfo write "0002:c903:00f9:bfa0", ibstat writes "0x0002c90300f9bfa0".</summary>
public static class RdmaGuids
{
    /// <summary>A GUID in sysfs form as ibstat prints it.</summary>
    /// <param name="guid">Four groups of four hex digits separated by colons.</param>
    /// <returns>"0x" and sixteen lower-case hex digits.</returns>
    public static string Hex(string guid)
    {
        ArgumentNullException.ThrowIfNull(guid);
        return "0x" + guid.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
    }
}
