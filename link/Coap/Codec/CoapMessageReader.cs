using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace EdgeNode.Link.Coap.Codec;

/// <summary>
/// Parses one CoAP message from one datagram (RFC 7252 §3) without copying or allocating.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Ver| T |  TKL  |      Code     |          Message ID           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Token (if any, TKL bytes) ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Options (if any) ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |1 1 1 1 1 1 1 1|    Payload (if any) ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Option (§3.1):
///   0   1   2   3   4   5   6   7
/// +---------------+---------------+
/// |  Option Delta | Option Length |   1 byte
/// +---------------+---------------+
/// /         Option Delta          /   0-2 bytes (nibble 13: +13, 1 byte; 14: +269, 2 bytes; 15: reserved)
/// \          (extended)           \
/// +-------------------------------+
/// /         Option Length         /   0-2 bytes (same rule)
/// \          (extended)           \
/// +-------------------------------+
/// \         Option Value          \   0 or more bytes
/// +-------------------------------+
/// </code>
/// <para><b>Incomplete</b> (the datagram ends before the header, token or an option announced it would) makes
/// <see cref="TryRead"/> return false. <b>Malformed</b> input throws <see cref="CoapFormatException"/>.</para>
/// </summary>
public static class CoapMessageReader
{
    public const int HeaderLength = 4;
    public const int MaxTokenLength = 8;
    public const byte PayloadMarker = 0xFF;

    internal const byte VersionMask = 0b1100_0000;
    internal const int VersionShift = 6;
    internal const byte TypeMask = 0b0011_0000;
    internal const int TypeShift = 4;
    internal const byte TokenLengthMask = 0b0000_1111;
    internal const byte Version1 = 1;

    private const int NibbleOneByte = 13;
    private const int NibbleTwoBytes = 14;
    private const int NibbleReserved = 15;
    private const int OneByteBase = 13;
    private const int TwoByteBase = 269;

    /// <summary>
    /// Reads a whole datagram. Returns false when it is incomplete (truncated); throws
    /// <see cref="CoapFormatException"/> when it is malformed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out CoapMessageView message)
    {
        var error = Parse(datagram, out message);
        if (error == CoapFormatError.None)
        {
            return true;
        }

        if (error == CoapFormatError.Truncated)
        {
            return false;
        }

        ThrowFormat(error, datagram);
        return false;
    }

    /// <summary>The exception <see cref="TryRead"/> would throw for this error, with the readable header fields.</summary>
    internal static CoapFormatException CreateException(CoapFormatError error, ReadOnlySpan<byte> datagram)
    {
        CoapMessageType? type = null;
        ushort? messageId = null;
        ReadOnlyMemory<byte> token = default;
        if (datagram.Length >= HeaderLength)
        {
            type = (CoapMessageType)((datagram[0] & TypeMask) >> TypeShift);
            messageId = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
            int tkl = datagram[0] & TokenLengthMask;
            if (tkl <= MaxTokenLength && datagram.Length >= HeaderLength + tkl)
            {
                token = datagram.Slice(HeaderLength, tkl).ToArray();
            }
        }

        return new CoapFormatException(error, type, messageId, token, Describe(error));
    }

    internal static string Describe(CoapFormatError error) => error switch
    {
        CoapFormatError.Truncated => "the datagram ends before the header, token or an option it announces",
        CoapFormatError.UnsupportedVersion => "version is not 1",
        CoapFormatError.TokenLengthReserved => "token length 9-15 is reserved",
        CoapFormatError.ReservedCodeClass => "code class 1, 6 and 7 are reserved",
        CoapFormatError.EmptyMessageNotEmpty => "an Empty message (0.00) must not carry a token, options or a payload",
        CoapFormatError.PayloadMarkerWithoutPayload => "payload marker followed by a zero-length payload",
        CoapFormatError.OptionDeltaReserved => "option delta 15 is reserved",
        CoapFormatError.OptionLengthReserved => "option length 15 is reserved",
        CoapFormatError.OptionNumberOverflow => "option number above 65535",
        CoapFormatError.InvalidTypeForCode => "message type cannot carry this code (RST with a code, ACK with a request, NON Empty)",
        CoapFormatError.MessageTooLarge => "datagram larger than the endpoint accepts",
        _ => error.ToString(),
    };

    [StackTraceHidden]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFormat(CoapFormatError error, ReadOnlySpan<byte> datagram) => throw CreateException(error, datagram);

    /// <summary>The non-throwing core: <see cref="CoapFormatError.None"/> on success.</summary>
    internal static CoapFormatError Parse(ReadOnlySpan<byte> datagram, out CoapMessageView message)
    {
        message = default;
        if (datagram.Length < HeaderLength)
        {
            return CoapFormatError.Truncated;
        }

        byte first = datagram[0];
        if ((first & VersionMask) >> VersionShift != Version1)
        {
            return CoapFormatError.UnsupportedVersion;
        }

        var type = (CoapMessageType)((first & TypeMask) >> TypeShift);
        int tokenLength = first & TokenLengthMask;
        if (tokenLength > MaxTokenLength)
        {
            return CoapFormatError.TokenLengthReserved;
        }

        var code = new CoapCode(datagram[1]);
        if (code.Class is 1 or 6 or 7)
        {
            return CoapFormatError.ReservedCodeClass;
        }

        ushort messageId = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (code.IsEmpty && (tokenLength != 0 || datagram.Length != HeaderLength))
        {
            // §4.1: an Empty message has TKL 0 and nothing after the message id.
            return CoapFormatError.EmptyMessageNotEmpty;
        }

        if (datagram.Length < HeaderLength + tokenLength)
        {
            return CoapFormatError.Truncated;
        }

        var token = datagram.Slice(HeaderLength, tokenLength);
        var rest = datagram[(HeaderLength + tokenLength)..];
        int optionsLength = 0;
        int number = 0;
        ReadOnlySpan<byte> payload = default;
        while (optionsLength < rest.Length)
        {
            if (rest[optionsLength] == PayloadMarker)
            {
                payload = rest[(optionsLength + 1)..];
                if (payload.IsEmpty)
                {
                    return CoapFormatError.PayloadMarkerWithoutPayload;
                }

                break;
            }

            var status = ReadOptionHeader(rest[optionsLength..], ref number, out int headerLength, out int valueLength);
            if (status != CoapFormatError.None)
            {
                return status;
            }

            if (rest.Length - optionsLength - headerLength < valueLength)
            {
                return CoapFormatError.Truncated;
            }

            optionsLength += headerLength + valueLength;
        }

        if (type == CoapMessageType.Reset && !code.IsEmpty)
        {
            return CoapFormatError.InvalidTypeForCode;
        }

        if ((type == CoapMessageType.Acknowledgement && code.IsRequest) || (type == CoapMessageType.NonConfirmable && code.IsEmpty))
        {
            return CoapFormatError.InvalidTypeForCode;
        }

        message = new CoapMessageView(type, code, messageId, token, rest[..optionsLength], payload);
        return CoapFormatError.None;
    }

    /// <summary>
    /// Reads one option header (delta/length nibbles and their extensions) at the start of <paramref name="source"/>
    /// (which must not start with the payload marker), adding the delta to <paramref name="number"/>.
    /// </summary>
    internal static CoapFormatError ReadOptionHeader(ReadOnlySpan<byte> source, ref int number, out int headerLength, out int valueLength)
    {
        headerLength = 1;
        valueLength = 0;
        byte b = source[0];
        int delta = b >> 4;
        int length = b & 0x0F;
        if (delta == NibbleReserved)
        {
            return CoapFormatError.OptionDeltaReserved;
        }

        if (length == NibbleReserved)
        {
            return CoapFormatError.OptionLengthReserved;
        }

        if (!TryReadExtended(source, ref headerLength, ref delta) || !TryReadExtended(source, ref headerLength, ref length))
        {
            return CoapFormatError.Truncated;
        }

        number += delta;
        if (number > ushort.MaxValue)
        {
            return CoapFormatError.OptionNumberOverflow;
        }

        valueLength = length;
        return CoapFormatError.None;
    }

    private static bool TryReadExtended(ReadOnlySpan<byte> source, ref int position, ref int nibble)
    {
        if (nibble == NibbleOneByte)
        {
            if (source.Length < position + 1)
            {
                return false;
            }

            nibble = source[position] + OneByteBase;
            position += 1;
        }
        else if (nibble == NibbleTwoBytes)
        {
            if (source.Length < position + 2)
            {
                return false;
            }

            nibble = BinaryPrimitives.ReadUInt16BigEndian(source[position..]) + TwoByteBase;
            position += 2;
        }

        return true;
    }
}
