namespace EdgeNode.Link.Coap.Codec;

/// <summary>One option of a parsed message: its absolute number and a view of its value.</summary>
public readonly ref struct CoapOption
{
    public CoapOption(int number, ReadOnlySpan<byte> value)
    {
        Number = number;
        Value = value;
    }

    public int Number { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The value as an unsigned integer (network byte order, leading zeros allowed, 0–4 bytes).</summary>
    public uint GetUInt32()
    {
        uint result = 0;
        foreach (byte b in Value)
        {
            result = (result << 8) | b;
        }

        return result;
    }
}
