using System.Globalization;

namespace NspawnNative.Interop.Rdma;

/// <summary>Parsers for the formats of RDMA sysfs files. Each returns false on text it does not recognise, so the
/// caller can name the file in a warning.</summary>
internal static class RdmaSysfsParse
{
    /// <summary>"4: ACTIVE", "5: LinkUp", "1: CA": a number, a colon, a name.</summary>
    public static bool TryNumberedName(string text, out int id, out string name)
    {
        id = 0;
        name = "";
        int colon = text.IndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(0, colon).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id))
            return false;
        name = text[(colon + 1)..].Trim();
        return name.Length > 0;
    }

    /// <summary>"100 Gb/sec (4X EDR)", "2.5 Gb/sec (1X SDR)", "0 GB/sec": the leading number is Gb/s.</summary>
    public static bool TryRate(string text, out double gbps)
    {
        gbps = 0;
        int space = text.IndexOf(' ');
        if (space <= 0)
            return false;
        var unit = text.AsSpan(space + 1);
        if (!unit.StartsWith("Gb/sec", StringComparison.OrdinalIgnoreCase))
            return false;
        return double.TryParse(text.AsSpan(0, space), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out gbps);
    }

    /// <summary>"0x5", "0x00010000" or a decimal number, as lid, sm_lid, cap_mask and lid_mask_count hold.</summary>
    public static bool TryNumber(string text, out uint value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>"231:192", the <c>dev</c> file of a class device.</summary>
    public static bool TryDev(string text, out int major, out int minor)
    {
        major = minor = 0;
        int colon = text.IndexOf(':');
        return colon > 0
            && int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out major)
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out minor);
    }

    /// <summary>A GID "fe80:0000:0000:0000:0002:c903:00f9:bfa1": eight groups of four hex digits.</summary>
    public static bool IsGid(string text)
    {
        if (text.Length != 39)
            return false;
        for (int i = 0; i < text.Length; i++)
        {
            bool colonSlot = i % 5 == 4;
            if (colonSlot ? text[i] != ':' : !char.IsAsciiHexDigit(text[i]))
                return false;
        }
        return true;
    }

    /// <summary>True when the interface ID (the low 8 bytes) is zero: ibv_devinfo treats such a slot as unused.</summary>
    public static bool IsUnusedGid(string gid)
    {
        for (int i = 20; i < gid.Length; i++)
        {
            if (gid[i] != ':' && gid[i] != '0')
                return false;
        }
        return true;
    }

    /// <summary>The low 8 bytes of a GID as ibstat prints a port GUID: "0x0002c90300f9bfa1".</summary>
    public static string PortGuid(string gid) => RdmaGuids.Hex(gid[20..]);
}
