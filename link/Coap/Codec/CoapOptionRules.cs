namespace EdgeNode.Link.Coap.Codec;

/// <summary>
/// What this stack recognises (RFC 7252 §5.10 table, RFC 7959, RFC 7641): value length bounds and repeatability.
/// An unrecognised critical option, or a recognised critical one with a bad length or repeated when it must not be,
/// makes a request fail with 4.02 Bad Option (§5.4.1, §5.4.3, §5.4.5); elective ones are ignored.
/// </summary>
public static class CoapOptionRules
{
    public static bool IsRecognized(int number) => TryGetRule(number, out _, out _, out _);

    /// <summary>The first option that makes the message unacceptable, or null.</summary>
    public static int? FindBadCriticalOption(CoapMessage message)
    {
        int previous = -1;
        foreach (var option in message.Options)
        {
            int number = option.Key;
            bool repeated = number == previous;
            previous = number;
            if (!CoapOptionNumber.IsCritical(number))
            {
                continue;
            }

            if (!TryGetRule(number, out int min, out int max, out bool repeatable)
                || option.Value.Length < min || option.Value.Length > max || (repeated && !repeatable))
            {
                return number;
            }
        }

        return null;
    }

    private static bool TryGetRule(int number, out int min, out int max, out bool repeatable)
    {
        (min, max, repeatable) = number switch
        {
            CoapOptionNumber.IfMatch => (0, 8, true),
            CoapOptionNumber.UriHost => (1, 255, false),
            CoapOptionNumber.ETag => (1, 8, true),
            CoapOptionNumber.IfNoneMatch => (0, 0, false),
            CoapOptionNumber.Observe => (0, 3, false),
            CoapOptionNumber.UriPort => (0, 2, false),
            CoapOptionNumber.LocationPath => (0, 255, true),
            CoapOptionNumber.UriPath => (0, 255, true),
            CoapOptionNumber.ContentFormat => (0, 2, false),
            CoapOptionNumber.MaxAge => (0, 4, false),
            CoapOptionNumber.UriQuery => (0, 255, true),
            CoapOptionNumber.Accept => (0, 2, false),
            CoapOptionNumber.LocationQuery => (0, 255, true),
            CoapOptionNumber.Block2 => (0, 3, false),
            CoapOptionNumber.Block1 => (0, 3, false),
            CoapOptionNumber.Size2 => (0, 4, false),
            CoapOptionNumber.ProxyUri => (1, 1034, false),
            CoapOptionNumber.ProxyScheme => (1, 255, false),
            CoapOptionNumber.Size1 => (0, 4, false),
            CoapOptionNumber.NoResponse => (0, 1, false),
            _ => (-1, -1, false),
        };
        return min >= 0;
    }
}
