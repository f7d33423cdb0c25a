namespace EdgeNode.Link.Coap;

/// <summary>Content-Format numbers (RFC 7252 §12.3) used here.</summary>
public static class CoapContentFormats
{
    public const int TextPlain = 0;
    public const int LinkFormat = 40;
    public const int OctetStream = 42;
    public const int Json = 50;
    public const int Cbor = 60;
}
