namespace EdgeNode.Link.Contracts.Codec;

/// <summary>
/// A payload that is not a valid encoding of the expected contract message: truncated, an over-long varint, a value
/// out of range for its field, a wrong wire type for a known field, or a group. The message names the contract, the
/// field and the byte offset.
/// </summary>
public sealed class ContractFormatException : FormatException
{
    public ContractFormatException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the payload where the problem was found.</summary>
    public int Offset { get; }
}
