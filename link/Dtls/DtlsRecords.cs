using System.Buffers.Binary;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// Cheap checks on raw datagrams before they reach BouncyCastle, so that garbage is dropped and counted early.
/// <code>
/// RFC 6347 §4.1, one or more records per datagram:
///  0      1       2       3       4       5 ... 10     11      12      13 ...
/// +------+-------+-------+-------+-------+-----------+-------+-------+-----------------+
/// | type | major | minor |   epoch       | seq (48)  |    length     | fragment ...    |
/// +------+-------+-------+-------+-------+-----------+-------+-------+-----------------+
/// type: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data, 24 heartbeat
/// version: {254, 255} DTLS 1.0 (ClientHello, HelloVerifyRequest), {254, 253} DTLS 1.2
/// a handshake fragment starts with msg_type (1 = client_hello)
/// </code>
/// </summary>
internal static class DtlsRecords
{
    public const int HeaderLength = DtlsWireSize.RecordHeaderBytes;
    public const byte ContentTypeChangeCipherSpec = 20;
    public const byte ContentTypeHeartbeat = 24;
    public const byte ContentTypeHandshake = 22;
    public const byte HandshakeTypeClientHello = 1;
    private const byte DtlsMajor = 254;
    private const byte Dtls10Minor = 255;
    private const byte Dtls12Minor = 253;

    /// <summary>True when <paramref name="datagram"/> is exactly a sequence of complete DTLS 1.0/1.2 records.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
            return false;
        while (!datagram.IsEmpty)
        {
            if (datagram.Length < HeaderLength)
                return false;
            var type = datagram[0];
            if (type < ContentTypeChangeCipherSpec || type > ContentTypeHeartbeat)
                return false;
            if (datagram[1] != DtlsMajor || (datagram[2] != Dtls10Minor && datagram[2] != Dtls12Minor))
                return false;
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[11..]);
            if (datagram.Length < HeaderLength + length)
                return false;
            datagram = datagram[(HeaderLength + length)..];
        }
        return true;
    }

    /// <summary>True when the first record is an epoch-0 handshake record holding (the start of) a ClientHello:
    /// a new association, or a client that restarted on the same port.</summary>
    public static bool StartsWithClientHello(ReadOnlySpan<byte> datagram) =>
        datagram.Length > HeaderLength
        && datagram[0] == ContentTypeHandshake
        && BinaryPrimitives.ReadUInt16BigEndian(datagram[3..]) == 0
        && BinaryPrimitives.ReadUInt16BigEndian(datagram[11..]) > 0
        && datagram[HeaderLength] == HandshakeTypeClientHello;

    /// <summary>
    /// The 32-byte random of a ClientHello datagram (it identifies the association).
    /// <code>
    /// record header (13) | msg_type 1 | length 3 | message_seq 2 | fragment_offset 3 | fragment_length 3 | client_version 2 | random 32 | ...
    /// </code>
    /// </summary>
    public static bool TryGetClientRandom(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> random)
    {
        const int randomOffset = HeaderLength + 12 + 2;
        random = default;
        if (!StartsWithClientHello(datagram) || datagram.Length < randomOffset + 32)
            return false;
        var fragmentOffset = (datagram[HeaderLength + 6] << 16) | (datagram[HeaderLength + 7] << 8) | datagram[HeaderLength + 8];
        if (fragmentOffset != 0 || BinaryPrimitives.ReadUInt16BigEndian(datagram[11..]) < 12 + 2 + 32)
            return false;
        random = datagram.Slice(randomOffset, 32);
        return true;
    }
}
