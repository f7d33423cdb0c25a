namespace EdgeNode.Hub.Devices;

/// <summary>CoAP response codes the device handler answers with (class.detail as in RFC 7252).</summary>
public enum DeviceReplyCode
{
    /// <summary>2.04</summary>
    Changed = 0x44,
    /// <summary>2.05</summary>
    Content = 0x45,
    /// <summary>4.00: malformed or invalid payload (ErrorBody says why).</summary>
    BadRequest = 0x80,
    /// <summary>4.01: no identity, or an unknown one.</summary>
    Unauthorized = 0x81,
    /// <summary>4.03: a retired device, or an identity that may not use this resource.</summary>
    Forbidden = 0x83,
    /// <summary>4.04</summary>
    NotFound = 0x84,
    /// <summary>5.00</summary>
    InternalServerError = 0xA0,
}
