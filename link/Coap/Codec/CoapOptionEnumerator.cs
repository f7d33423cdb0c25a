namespace EdgeNode.Link.Coap.Codec;

/// <summary>
/// Walks the option bytes of a message that <see cref="CoapMessageReader"/> already validated.
/// Allocation-free; use with <c>foreach</c>.
/// </summary>
public ref struct CoapOptionEnumerator
{
    private ReadOnlySpan<byte> remaining;
    private int number;
    private int currentNumber;
    private ReadOnlySpan<byte> currentValue;

    internal CoapOptionEnumerator(ReadOnlySpan<byte> options)
    {
        remaining = options;
        number = 0;
        currentNumber = 0;
        currentValue = default;
    }

    public readonly CoapOption Current => new(currentNumber, currentValue);

    public readonly CoapOptionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (remaining.IsEmpty)
        {
            return false;
        }

        var status = CoapMessageReader.ReadOptionHeader(remaining, ref number, out int headerLength, out int valueLength);
        if (status != CoapFormatError.None)
        {
            // Cannot happen for validated input; stop rather than throw inside foreach.
            remaining = default;
            return false;
        }

        currentNumber = number;
        currentValue = remaining.Slice(headerLength, valueLength);
        remaining = remaining[(headerLength + valueLength)..];
        return true;
    }
}
