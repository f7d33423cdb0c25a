namespace EdgeNode.Link.Coap.Codec;

/// <summary>
/// A parsed CoAP message as views into the datagram it came from (no copies). Produced by
/// <see cref="CoapMessageReader"/>; the option bytes are validated already.
/// </summary>
public readonly ref struct CoapMessageView
{
    internal CoapMessageView(CoapMessageType type, CoapCode code, ushort messageId, ReadOnlySpan<byte> token, ReadOnlySpan<byte> options, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Code = code;
        MessageId = messageId;
        Token = token;
        OptionBytes = options;
        Payload = payload;
    }

    public CoapMessageType Type { get; }

    public CoapCode Code { get; }

    public ushort MessageId { get; }

    public ReadOnlySpan<byte> Token { get; }

    /// <summary>The raw, already validated option bytes (between token and payload marker).</summary>
    public ReadOnlySpan<byte> OptionBytes { get; }

    /// <summary>The payload after the 0xFF marker (empty when there is none).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    public CoapOptionEnumerator Options => new(OptionBytes);

    /// <summary>Finds the first option with this number.</summary>
    public bool TryGetOption(int number, out ReadOnlySpan<byte> value)
    {
        foreach (var option in Options)
        {
            if (option.Number == number)
            {
                value = option.Value;
                return true;
            }

            if (option.Number > number)
            {
                break;
            }
        }

        value = default;
        return false;
    }
}
