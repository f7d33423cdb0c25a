namespace EdgeNode.Link.Coap;

/// <summary>The request methods of RFC 7252 §5.8 (code class 0, detail = the value).</summary>
public enum CoapMethod
{
    Get = 1,
    Post = 2,
    Put = 3,
    Delete = 4,
}
