namespace EdgeNode.Link.Coap;

/// <summary>Base of every CoAP failure the stack reports to its caller.</summary>
public class CoapException : Exception
{
    public CoapException(string message)
        : base(message)
    {
    }

    public CoapException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
