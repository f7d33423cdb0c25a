namespace EdgeNode.Link.Coap;

/// <summary>
/// A datagram that is not a valid CoAP message. Carries the reason and whatever header fields could be read,
/// so that the endpoint can answer as RFC 7252 §4.2 asks (RST for a Confirmable message, silence otherwise).
/// </summary>
public sealed class CoapFormatException : CoapException
{
    public CoapFormatException(CoapFormatError reason, CoapMessageType? type, ushort? messageId, ReadOnlyMemory<byte> token, string detail)
        : base($"Malformed CoAP message ({reason}): {detail}")
    {
        Reason = reason;
        Type = type;
        MessageId = messageId;
        Token = token;
    }

    public CoapFormatError Reason { get; }

    /// <summary>The message type, when the 4-byte header was present.</summary>
    public CoapMessageType? Type { get; }

    /// <summary>The message id, when the 4-byte header was present.</summary>
    public ushort? MessageId { get; }

    /// <summary>The token, when it could be read (empty otherwise).</summary>
    public ReadOnlyMemory<byte> Token { get; }
}
