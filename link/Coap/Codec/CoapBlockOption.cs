namespace EdgeNode.Link.Coap.Codec;

/// <summary>
/// A Block1/Block2 option value (RFC 7959 §2.2): block number, more flag and size exponent.
/// <code>
///  0
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |  NUM  |M| SZX |       (1 byte;  NUM 4 bits)
/// +-+-+-+-+-+-+-+-+
///  0                   1                   2
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   NUM                 |M| SZX |   (up to 3 bytes; NUM 20 bits)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Block size = 2^(SZX + 4), 16..1024; SZX 7 is reserved (BERT, not used on UDP).
/// </summary>
public readonly record struct CoapBlockOption(int Number, bool More, int SizeExponent)
{
    private const int MoreBit = 0b1000;
    private const int SzxMask = 0b0111;
    public const int MaxSizeExponent = 6;
    public const int MaxNumber = (1 << 20) - 1;

    public int Size => 1 << (SizeExponent + 4);

    public int Offset => Number * Size;

    public uint Encode() => (uint)((Number << 4) | (More ? MoreBit : 0) | SizeExponent);

    /// <summary>Decodes a 0–3 byte value; false when it is longer than 3 bytes or SZX is 7 (reserved).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, out CoapBlockOption block)
    {
        block = default;
        if (value.Length > 3)
        {
            return false;
        }

        uint raw = 0;
        foreach (byte b in value)
        {
            raw = (raw << 8) | b;
        }

        int szx = (int)(raw & SzxMask);
        if (szx > MaxSizeExponent)
        {
            return false;
        }

        block = new CoapBlockOption((int)(raw >> 4), (raw & MoreBit) != 0, szx);
        return true;
    }

    /// <summary>The largest SZX whose block size is at most <paramref name="size"/> (at least 0 = 16 bytes).</summary>
    public static int SizeExponentFor(int size)
    {
        int szx = MaxSizeExponent;
        while (szx > 0 && (1 << (szx + 4)) > size)
        {
            szx--;
        }

        return szx;
    }

    public override string ToString() => $"{Number}/{(More ? 1 : 0)}/{Size}";
}
