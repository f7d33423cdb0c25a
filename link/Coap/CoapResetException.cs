namespace EdgeNode.Link.Coap;

/// <summary>The peer answered a request with a Reset (it did not understand or does not want the exchange).</summary>
public sealed class CoapResetException : CoapException
{
    public CoapResetException(string message)
        : base(message)
    {
    }
}
