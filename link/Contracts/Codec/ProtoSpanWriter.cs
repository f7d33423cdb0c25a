using System.Text;

namespace EdgeNode.Link.Contracts.Codec;

/// <summary>
/// Writes protobuf fields into a span that the caller sized with the codec's Measure (so no bounds are re-checked
/// per byte beyond the span's own). Base-128 varints, little-endian groups of 7 bits, high bit = more:
/// <code>
///  300 = 0b1_0010_1100  →  1010_1100 0000_0010  (0xAC 0x02)
/// </code>
/// </summary>
internal ref struct ProtoSpanWriter
{
    private readonly Span<byte> _destination;

    public ProtoSpanWriter(Span<byte> destination)
    {
        _destination = destination;
        Position = 0;
    }

    public int Position { get; private set; }

    public void WriteKey(int fieldNumber, ProtoWireType wireType) => WriteVarint(((uint)fieldNumber << 3) | (uint)wireType);

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _destination[Position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _destination[Position++] = (byte)value;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        value.CopyTo(_destination[Position..]);
        Position += value.Length;
    }

    public void WriteString(string value, int utf8Length)
    {
        WriteVarint((uint)utf8Length);
        Position += Encoding.UTF8.GetBytes(value, _destination.Slice(Position, utf8Length));
    }

    /// <summary>Bytes of the varint encoding of <paramref name="value"/> (1–10).</summary>
    public static int VarintSize(ulong value) => value == 0 ? 1 : (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 6) / 7;

    public static int KeySize(int fieldNumber) => VarintSize((uint)fieldNumber << 3);

    /// <summary>Bytes of a length-delimited field body of <paramref name="length"/> bytes, with its length prefix.</summary>
    public static int LengthDelimitedSize(int length) => VarintSize((uint)length) + length;
}
