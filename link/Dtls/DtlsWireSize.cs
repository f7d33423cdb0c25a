namespace EdgeNode.Link.Dtls;

/// <summary>
/// Bytes DTLS adds on the wire, for size budgets (e.g. "a heartbeat fits in N bytes on the wire").
/// <code>
/// DTLSCiphertext (RFC 6347 §4.1)            AEAD fragment (RFC 5288 §3, RFC 6655 §3)
/// +------+---------+-------+----------+--------+   +------------------+-----------+---------+
/// | type | version | epoch | sequence | length |   | explicit nonce 8 | plaintext | tag 8/16|
/// |  1   |    2    |   2   |    6     |   2    |   +------------------+-----------+---------+
/// +------+---------+-------+----------+--------+
/// </code>
/// </summary>
public static class DtlsWireSize
{
    /// <summary>DTLS record header: type, version, epoch, sequence number, length.</summary>
    public const int RecordHeaderBytes = 13;

    /// <summary>The AEAD explicit nonce carried in each record (both suites).</summary>
    public const int ExplicitNonceBytes = 8;

    /// <summary>IPv4 header (20, no options) + UDP header (8).</summary>
    public const int IPv4UdpHeaderBytes = 28;

    /// <summary>IPv6 header (40) + UDP header (8).</summary>
    public const int IPv6UdpHeaderBytes = 48;

    /// <summary>The largest per-record overhead of any supported suite.</summary>
    public const int MaxRecordOverhead = RecordHeaderBytes + ExplicitNonceBytes + 16;

    /// <summary>The authentication tag length of <paramref name="suite"/>.</summary>
    public static int TagBytes(DtlsCipherSuite suite) => suite switch
    {
        DtlsCipherSuite.PskWithAes128Ccm8 => 8,
        DtlsCipherSuite.PskWithAes128GcmSha256 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "unsupported DTLS cipher suite"),
    };

    /// <summary>Bytes one application-data record adds to its plaintext: 29 for CCM_8, 37 for GCM.</summary>
    public static int RecordOverhead(DtlsCipherSuite suite) => RecordHeaderBytes + ExplicitNonceBytes + TagBytes(suite);

    /// <summary>The UDP payload carrying a <paramref name="plaintextBytes"/>-byte CoAP message in one record.</summary>
    public static int DatagramBytes(int plaintextBytes, DtlsCipherSuite suite)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextBytes);
        return plaintextBytes + RecordOverhead(suite);
    }

    /// <summary>The IPv4 packet (IP + UDP headers included) carrying a <paramref name="plaintextBytes"/>-byte CoAP message.</summary>
    public static int IPv4PacketBytes(int plaintextBytes, DtlsCipherSuite suite) =>
        DatagramBytes(plaintextBytes, suite) + IPv4UdpHeaderBytes;
}
