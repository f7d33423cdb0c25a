namespace EdgeNode.Link.Coap;

/// <summary>Why a datagram is not a valid CoAP message (RFC 7252 §3, §4.2 "message format error").</summary>
public enum CoapFormatError
{
    None = 0,
    /// <summary>Fewer bytes than the header, token or an option announces (a truncated datagram).</summary>
    Truncated,
    /// <summary>Ver is not 1.</summary>
    UnsupportedVersion,
    /// <summary>TKL is 9–15 (reserved).</summary>
    TokenLengthReserved,
    /// <summary>Code class 1, 6 or 7 (reserved).</summary>
    ReservedCodeClass,
    /// <summary>Code 0.00 (Empty) with a token, options or a payload (§4.1).</summary>
    EmptyMessageNotEmpty,
    /// <summary>A payload marker 0xFF followed by a zero-length payload.</summary>
    PayloadMarkerWithoutPayload,
    /// <summary>Option delta nibble 15 not part of the payload marker.</summary>
    OptionDeltaReserved,
    /// <summary>Option length nibble 15.</summary>
    OptionLengthReserved,
    /// <summary>The option number grows beyond 65535.</summary>
    OptionNumberOverflow,
    /// <summary>A Reset carrying a request or response, or an Acknowledgement carrying a request, or a
    /// Non-confirmable Empty message (§4.2, §4.3).</summary>
    InvalidTypeForCode,
    /// <summary>The datagram is larger than the endpoint accepts.</summary>
    MessageTooLarge,
}
