using System.Globalization;
using System.Text;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// Reads typed values out of a GetAll dictionary, tolerating a missing property (older systemd) with a neutral
/// value, and renders any value as <c>systemctl show</c> does.
/// </summary>
public static class PropertyValues
{
    /// <summary>systemd's "infinity" for limits and sizes.</summary>
    public const ulong Infinity = ulong.MaxValue;

    internal static string String(IReadOnlyDictionary<string, VariantValue> p, string key) =>
        p.TryGetValue(key, out var v) ? v.Type switch
        {
            VariantValueType.String => v.GetString(),
            VariantValueType.ObjectPath => v.GetObjectPathAsString(),
            _ => "",
        } : "";

    internal static uint UInt32(IReadOnlyDictionary<string, VariantValue> p, string key) =>
        p.TryGetValue(key, out var v) && v.Type == VariantValueType.UInt32 ? v.GetUInt32() : 0;

    internal static ulong UInt64(IReadOnlyDictionary<string, VariantValue> p, string key, ulong missing = 0) =>
        p.TryGetValue(key, out var v) && v.Type == VariantValueType.UInt64 ? v.GetUInt64() : missing;

    internal static bool Bool(IReadOnlyDictionary<string, VariantValue> p, string key) =>
        p.TryGetValue(key, out var v) && v.Type == VariantValueType.Bool && v.GetBool();

    internal static IReadOnlyList<string> Strings(IReadOnlyDictionary<string, VariantValue> p, string key) =>
        p.TryGetValue(key, out var v) && v.Type == VariantValueType.Array && v.ItemType == VariantValueType.String ? v.GetArray<string>() : [];

    internal static string Hex(IReadOnlyDictionary<string, VariantValue> p, string key) =>
        p.TryGetValue(key, out var v) && v.Type == VariantValueType.Array && v.ItemType == VariantValueType.Byte
            ? Convert.ToHexStringLower(v.GetArray<byte>()) : "";

    internal static DateTimeOffset? Timestamp(IReadOnlyDictionary<string, VariantValue> p, string key)
    {
        ulong usec = UInt64(p, key);
        return usec is 0 or Infinity ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)(usec / 1000));
    }

    /// <summary>
    /// Renders a property value the way <c>systemctl show</c> prints it: numbers in decimal, UINT64_MAX as
    /// "infinity" (for limits), booleans as yes/no, string arrays space-separated, arrays of structures one
    /// entry per item separated by spaces with the fields separated by a space.
    /// </summary>
    /// <param name="value">The value from GetAll or Get.</param>
    /// <returns>The text.</returns>
    public static string Format(VariantValue value)
    {
        // TODO (dbus): systemctl formats times (…USec) and sizes by property name; the raw number is printed here.
        switch (value.Type)
        {
            case VariantValueType.Bool:
                return value.GetBool() ? "yes" : "no";
            case VariantValueType.UInt64:
                return value.GetUInt64() == Infinity ? "infinity" : value.GetUInt64().ToString(CultureInfo.InvariantCulture);
            case VariantValueType.Byte:
                return value.GetByte().ToString(CultureInfo.InvariantCulture);
            case VariantValueType.Int16:
                return value.GetInt16().ToString(CultureInfo.InvariantCulture);
            case VariantValueType.UInt16:
                return value.GetUInt16().ToString(CultureInfo.InvariantCulture);
            case VariantValueType.Int32:
                return value.GetInt32().ToString(CultureInfo.InvariantCulture);
            case VariantValueType.UInt32:
                return value.GetUInt32().ToString(CultureInfo.InvariantCulture);
            case VariantValueType.Int64:
                return value.GetInt64().ToString(CultureInfo.InvariantCulture);
            case VariantValueType.Double:
                return value.GetDouble().ToString(CultureInfo.InvariantCulture);
            case VariantValueType.String:
                return value.GetString();
            case VariantValueType.ObjectPath:
                return value.GetObjectPathAsString();
            case VariantValueType.Signature:
                return value.GetSignature().ToString() ?? "";
            case VariantValueType.Array when value.ItemType == VariantValueType.Byte:
                return Convert.ToHexStringLower(value.GetArray<byte>());
            case VariantValueType.Array or VariantValueType.Struct:
                var sb = new StringBuilder();
                for (int i = 0; i < value.Count; i++)
                {
                    if (i > 0)
                        sb.Append(' ');
                    sb.Append(Format(value.GetItem(i)));
                }
                return sb.ToString();
            case VariantValueType.Variant:
                return Format(value.GetVariantValue());
            default:
                return "";
        }
    }
}
