namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>Just enough of the DTLS 1.2 record layer (RFC 6347 §4.1) to find application data in a capture.
/// <code>
///  0        1     2     3..4    5..10            11..12   13..
/// +--------+-----+-----+-------+----------------+--------+---------
/// | type   | ver maj/min| epoch | sequence (48b) | length | fragment
/// +--------+-----+-----+-------+----------------+--------+---------
/// </code></summary>
public static class DtlsRecords
{
    public const int HeaderLength = 13;
    public const byte ApplicationData = 23;

    /// <summary>True when <paramref name="datagram"/> is exactly one application-data record.</summary>
    public static bool IsSingleApplicationRecord(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength && datagram[0] == ApplicationData && datagram[1] == 0xFE &&
        HeaderLength + ((datagram[11] << 8) | datagram[12]) == datagram.Length;
}
