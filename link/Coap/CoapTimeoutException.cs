namespace EdgeNode.Link.Coap;

/// <summary>A Confirmable request got no acknowledgement after MAX_RETRANSMIT retransmissions, or no
/// (separate) response in time. The message names the resource and the time waited.</summary>
public sealed class CoapTimeoutException : CoapException
{
    public CoapTimeoutException(string message, int transmissions, TimeSpan waited)
        : base(message)
    {
        Transmissions = transmissions;
        Waited = waited;
    }

    public int Transmissions { get; }

    public TimeSpan Waited { get; }
}
