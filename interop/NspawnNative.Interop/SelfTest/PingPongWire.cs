using System.Globalization;
using System.Text;

namespace NspawnNative.Interop.SelfTest;

/// <summary>
/// ibv_rc_pingpong's address message: "LLLL:QQQQQQ:PPPPPP:" then the 16 GID bytes as 32 hex digits, and a NUL; 52
/// bytes in all. Lowercase hex, as its sprintf("%04x:%06x:%06x:%s") writes it.
/// </summary>
public static class PingPongWire
{
    /// <summary>The message length, NUL included.</summary>
    public const int MessageLength = 52;

    /// <summary>The client's acknowledgement after it has read the server's address: "done" and a NUL.</summary>
    public static ReadOnlySpan<byte> Done => "done\0"u8;

    /// <summary>Writes <paramref name="destination"/> as the 52-byte message.</summary>
    /// <param name="destination">The address.</param>
    /// <returns>The message bytes.</returns>
    public static byte[] Format(PingPongDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Gid.Length != 16)
            throw new ArgumentException("A GID has 16 bytes.", nameof(destination));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{destination.Lid & 0xffff:x4}:{destination.Qpn & 0xffffff:x6}:{destination.Psn & 0xffffff:x6}:{Convert.ToHexStringLower(destination.Gid)}");
        var bytes = new byte[MessageLength];
        Encoding.ASCII.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>Parses a message received from a peer.</summary>
    /// <param name="message">Exactly 52 bytes.</param>
    /// <param name="destination">The address, when valid.</param>
    /// <param name="error">Why the message is invalid, as a sentence fragment; null when valid.</param>
    /// <returns>True when the message is a valid address.</returns>
    public static bool TryParse(ReadOnlySpan<byte> message, out PingPongDestination? destination, out string? error)
    {
        destination = null;
        if (message.Length != MessageLength)
        {
            error = $"the address message has {message.Length} bytes instead of {MessageLength}";
            return false;
        }
        if (message[^1] != 0)
        {
            error = "the address message does not end with a NUL byte";
            return false;
        }
        var body = message[..^1];
        // Field widths as ibv_rc_pingpong writes them: 4, 6, 6 and 32 hex digits separated by ':'.
        ReadOnlySpan<int> widths = [4, 6, 6, 32];
        int pos = 0;
        Span<int> values = stackalloc int[3];
        var gid = new byte[16];
        for (int f = 0; f < widths.Length; f++)
        {
            var field = body.Slice(pos, widths[f]);
            foreach (var b in field)
            {
                if (!char.IsAsciiHexDigit((char)b))
                {
                    error = $"the address message '{Printable(body)}' is not in the form LLLL:QQQQQQ:PPPPPP:GID";
                    return false;
                }
            }
            if (f < 3)
            {
                values[f] = int.Parse(Encoding.ASCII.GetString(field), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (body[pos + widths[f]] != (byte)':')
                {
                    error = $"the address message '{Printable(body)}' is not in the form LLLL:QQQQQQ:PPPPPP:GID";
                    return false;
                }
                pos += widths[f] + 1;
            }
            else
            {
                Convert.FromHexString(Encoding.ASCII.GetString(field)).CopyTo(gid, 0);
            }
        }
        destination = new PingPongDestination(values[0], values[1], values[2], gid);
        error = null;
        return true;
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes[..Math.Min(bytes.Length, 60)])
            sb.Append(b is >= 0x20 and < 0x7f and not (byte)'\'' ? (char)b : '?');
        return sb.ToString();
    }
}
