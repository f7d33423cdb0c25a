using System.Numerics;
using System.Buffers.Binary;
using System.Text;

namespace EdgeNode.Link.Coap.Codec;

/// <summary>
/// Writes one CoAP message into a caller-supplied span (RFC 7252 §3; diagram on <see cref="CoapMessageReader"/>).
/// Call <see cref="TryWriteHeader"/> once, then options in ascending number order, then at most one payload.
/// Every <c>TryWrite…</c> returns false when the destination is too small and then writes nothing.
/// </summary>
public ref struct CoapMessageWriter
{
    private readonly Span<byte> destination;
    private int position;
    private int lastOption;
    private bool headerWritten;
    private bool payloadWritten;

    public CoapMessageWriter(Span<byte> destination)
    {
        this.destination = destination;
        position = 0;
        lastOption = 0;
        headerWritten = false;
        payloadWritten = false;
    }

    public readonly int BytesWritten => position;

    public readonly ReadOnlySpan<byte> Written => destination[..position];

    public bool TryWriteHeader(CoapMessageType type, CoapCode code, ushort messageId, scoped ReadOnlySpan<byte> token)
    {
        if (headerWritten)
        {
            throw new InvalidOperationException("The CoAP header is already written.");
        }

        if (token.Length > CoapMessageReader.MaxTokenLength)
        {
            throw new ArgumentException($"A CoAP token is 0-8 bytes, not {token.Length}.", nameof(token));
        }

        int needed = CoapMessageReader.HeaderLength + token.Length;
        if (destination.Length - position < needed)
        {
            return false;
        }

        var d = destination[position..];
        d[0] = (byte)((CoapMessageReader.Version1 << CoapMessageReader.VersionShift) | ((int)type << CoapMessageReader.TypeShift) | token.Length);
        d[1] = code.Value;
        BinaryPrimitives.WriteUInt16BigEndian(d[2..], messageId);
        token.CopyTo(d[CoapMessageReader.HeaderLength..]);
        position += needed;
        headerWritten = true;
        return true;
    }

    /// <summary>Writes an option with an opaque value.</summary>
    public bool TryWriteOption(int number, scoped ReadOnlySpan<byte> value)
    {
        int delta = CheckOrder(number);
        int headerLength = OptionHeaderLength(delta, value.Length);
        if (destination.Length - position < headerLength + value.Length)
        {
            return false;
        }

        WriteOptionHeader(destination[position..], delta, value.Length);
        value.CopyTo(destination[(position + headerLength)..]);
        position += headerLength + value.Length;
        lastOption = number;
        return true;
    }

    /// <summary>Writes a uint option in the fewest bytes (0 → zero-length value, §3.2).</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public bool TryWriteOption(int number, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        int skip = value == 0 ? 4 : BitOperations.LeadingZeroCount(value) / 8;
        return TryWriteOption(number, buffer[skip..]);
    }

    /// <summary>Writes a string option as UTF-8 without allocating.</summary>
    public bool TryWriteOption(int number, scoped ReadOnlySpan<char> value)
    {
        int delta = CheckOrder(number);
        int length = Encoding.UTF8.GetByteCount(value);
        int headerLength = OptionHeaderLength(delta, length);
        if (destination.Length - position < headerLength + length)
        {
            return false;
        }

        WriteOptionHeader(destination[position..], delta, length);
        Encoding.UTF8.GetBytes(value, destination[(position + headerLength)..]);
        position += headerLength + length;
        lastOption = number;
        return true;
    }

    /// <summary>Writes "a/b/c" as Uri-Path options "a", "b", "c" (leading/trailing '/' ignored).</summary>
    public bool TryWriteUriPath(scoped ReadOnlySpan<char> path)
    {
        int saved = position;
        int savedLast = lastOption;
        path = path.Trim('/');
        while (!path.IsEmpty)
        {
            int slash = path.IndexOf('/');
            var segment = slash < 0 ? path : path[..slash];
            if (!TryWriteOption(CoapOptionNumber.UriPath, segment))
            {
                position = saved;
                lastOption = savedLast;
                return false;
            }

            path = slash < 0 ? default : path[(slash + 1)..];
        }

        return true;
    }

    /// <summary>Writes the payload marker and the payload; an empty payload writes nothing (§3).</summary>
    public bool TryWritePayload(scoped ReadOnlySpan<byte> payload)
    {
        EnsureHeader();
        if (payloadWritten)
        {
            throw new InvalidOperationException("The CoAP payload is already written.");
        }

        if (payload.IsEmpty)
        {
            return true;
        }

        if (destination.Length - position < payload.Length + 1)
        {
            return false;
        }

        destination[position] = CoapMessageReader.PayloadMarker;
        payload.CopyTo(destination[(position + 1)..]);
        position += payload.Length + 1;
        payloadWritten = true;
        return true;
    }

    /// <summary>Bytes an option takes on the wire, given the previous option number.</summary>
    public static int OptionSize(int previousNumber, int number, int valueLength) =>
        OptionHeaderLength(number - previousNumber, valueLength) + valueLength;

    private int CheckOrder(int number)
    {
        EnsureHeader();
        if (payloadWritten)
        {
            throw new InvalidOperationException("CoAP options must be written before the payload.");
        }

        if (number < lastOption || number > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, $"CoAP options must be written in ascending order (last was {lastOption}).");
        }

        return number - lastOption;
    }

    private readonly void EnsureHeader()
    {
        if (!headerWritten)
        {
            throw new InvalidOperationException("Write the CoAP header first.");
        }
    }

    private static int OptionHeaderLength(int delta, int length) => 1 + ExtensionLength(delta) + ExtensionLength(length);

    private static int ExtensionLength(int value) => value < 13 ? 0 : value < 269 ? 1 : 2;

    private static void WriteOptionHeader(Span<byte> d, int delta, int length)
    {
        int p = 1;
        int deltaNibble = Nibble(delta);
        int lengthNibble = Nibble(length);
        d[0] = (byte)((deltaNibble << 4) | lengthNibble);
        WriteExtension(d, ref p, delta);
        WriteExtension(d, ref p, length);
    }

    private static int Nibble(int value) => value < 13 ? value : value < 269 ? 13 : 14;

    private static void WriteExtension(Span<byte> d, ref int p, int value)
    {
        if (value >= 269)
        {
            BinaryPrimitives.WriteUInt16BigEndian(d[p..], (ushort)(value - 269));
            p += 2;
        }
        else if (value >= 13)
        {
            d[p++] = (byte)(value - 13);
        }
    }
}
