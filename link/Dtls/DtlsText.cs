using System.Text;

namespace EdgeNode.Link.Dtls;

/// <summary>Text helpers for log lines and messages that carry peer-controlled identities.</summary>
internal static class DtlsText
{
    private const int MaxShown = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes a PSK identity (RFC 4279 §5.1: UTF-8); null when it is not valid UTF-8.</summary>
    public static string? TryDecodeIdentity(ReadOnlySpan<byte> identity)
    {
        try
        {
            return StrictUtf8.GetString(identity);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The identity as it may appear in a log line: control characters escaped, cut at 64 characters,
    /// so that a peer cannot forge log lines or flood the log.</summary>
    public static string Printable(string? identity)
    {
        if (identity is null)
            return "?";
        var builder = new StringBuilder(Math.Min(identity.Length, MaxShown) + 8);
        foreach (var c in identity)
        {
            if (builder.Length >= MaxShown)
            {
                builder.Append('…');
                break;
            }
            if (char.IsControl(c) || c == '\'' || c == '\\')
                builder.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>A short hex form for identities that are not UTF-8.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) =>
        "0x" + Convert.ToHexStringLower(bytes.Length > 32 ? bytes[..32] : bytes);

    public static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString(span.TotalSeconds < 10 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
