using System.Globalization;

namespace NspawnNative.Interop.Workflows.Doctor;

/// <summary>Byte counts as operators read them in doctor's reasons.</summary>
internal static class Sizes
{
    public static string Format(ulong bytes)
    {
        if (bytes == ulong.MaxValue)
            return "infinity";
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1 && value % 1024 == 0)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {units[unit]}");
    }
}
