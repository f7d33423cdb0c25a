namespace EdgeNode.Link.Coap;

/// <summary>The 2-bit message type of RFC 7252 §3 (the <c>T</c> field).</summary>
public enum CoapMessageType : byte
{
    Confirmable = 0,
    NonConfirmable = 1,
    Acknowledgement = 2,
    Reset = 3,
}
