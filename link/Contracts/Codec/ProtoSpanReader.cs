using System.Runtime.CompilerServices;
using System.Text;

namespace EdgeNode.Link.Contracts.Codec;

/// <summary>
/// Reads protobuf fields from a span. Every problem throws <see cref="ContractFormatException"/> with the byte
/// offset (relative to the whole payload, also inside nested messages).
/// </summary>
internal ref struct ProtoSpanReader
{
    private const int MaxVarintBytes = 10;
    private const ulong MaxFieldNumber = (1 << 29) - 1;
    private readonly ReadOnlySpan<byte> _source;
    private readonly int _baseOffset;
    private int _position;

    public ProtoSpanReader(ReadOnlySpan<byte> source, int baseOffset = 0)
    {
        _source = source;
        _baseOffset = baseOffset;
        _position = 0;
    }

    /// <summary>Offset of the next byte in the whole payload.</summary>
    public readonly int Offset => _baseOffset + _position;

    public readonly bool End => _position >= _source.Length;

    /// <summary>Reads the next key; false at the end of the message. Field number 0 and groups are malformed.</summary>
    public bool TryReadKey(string message, out int fieldNumber, out ProtoWireType wireType)
    {
        if (End)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        int at = Offset;
        ulong key = ReadVarint(message);
        ulong number = key >> 3;
        fieldNumber = number <= MaxFieldNumber ? (int)number : 0;
        wireType = (ProtoWireType)(key & 7);
        if (fieldNumber == 0)
        {
            Throw($"{message}: invalid field number {key >> 3} at byte {at}", at);
        }

        if (wireType is ProtoWireType.StartGroup or ProtoWireType.EndGroup or > ProtoWireType.Fixed32)
        {
            Throw($"{message}: field {fieldNumber} has wire type {(int)wireType} at byte {at} (groups and reserved wire types are not used)", at);
        }

        return true;
    }

    public ulong ReadVarint(string what)
    {
        ulong value = 0;
        int start = Offset;
        for (int i = 0; i < MaxVarintBytes; i++)
        {
            if (_position >= _source.Length)
            {
                Throw($"{what}: truncated varint at byte {start}", start);
            }

            byte b = _source[_position++];
            if (i == MaxVarintBytes - 1 && b > 1)
            {
                Throw($"{what}: varint at byte {start} is longer than 64 bits", start);
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return value;
            }
        }

        Throw($"{what}: varint at byte {start} is longer than 10 bytes", start);
        return 0;
    }

    /// <summary>The body of a length-delimited field, and the payload offset where it starts.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited(string what, out int bodyOffset)
    {
        int at = Offset;
        ulong length = ReadVarint(what);
        if (length > (ulong)(_source.Length - _position))
        {
            Throw($"{what}: length {length} at byte {at} runs past the end ({_source.Length - _position} bytes left)", at);
        }

        bodyOffset = Offset;
        var body = _source.Slice(_position, (int)length);
        _position += (int)length;
        return body;
    }

    public string ReadString(string what) => Encoding.UTF8.GetString(ReadLengthDelimited(what, out _));

    /// <summary>Skips an unknown field (forward compatibility: a newer hub may send fields this agent does not know).</summary>
    public void Skip(string what, ProtoWireType wireType)
    {
        switch (wireType)
        {
            case ProtoWireType.Varint:
                ReadVarint(what);
                break;
            case ProtoWireType.LengthDelimited:
                ReadLengthDelimited(what, out _);
                break;
            case ProtoWireType.Fixed64:
                Advance(what, 8);
                break;
            case ProtoWireType.Fixed32:
                Advance(what, 4);
                break;
            default:
                Throw($"{what}: cannot skip wire type {(int)wireType} at byte {Offset}", Offset);
                break;
        }
    }

    private void Advance(string what, int count)
    {
        if (_source.Length - _position < count)
        {
            Throw($"{what}: truncated fixed-size value at byte {Offset} ({count} bytes needed, {_source.Length - _position} left)", Offset);
        }

        _position += count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [System.Diagnostics.StackTraceHidden]
    public static void Throw(string message, int offset) => throw new ContractFormatException(message, offset);
}
