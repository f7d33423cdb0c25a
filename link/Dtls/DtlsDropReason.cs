namespace EdgeNode.Link.Dtls;

/// <summary>Why <see cref="DtlsServerTransport"/> dropped an incoming datagram or an outgoing message without delivering it.</summary>
public enum DtlsDropReason
{
    /// <summary>Not a well-formed sequence of DTLS records (garbage, truncated record, unknown content type or version).</summary>
    Malformed,

    /// <summary>Longer than the configured MTU.</summary>
    TooLarge,

    /// <summary>A record from an endpoint with no session that is not a ClientHello.</summary>
    NoSession,

    /// <summary>A ClientHello that the cookie verifier could not parse.</summary>
    BadClientHello,

    /// <summary>A new handshake was refused: the concurrent-handshake limit was reached.</summary>
    HandshakeLimit,

    /// <summary>A new handshake was refused: the session limit was reached.</summary>
    SessionLimit,

    /// <summary>A decrypted application datagram was dropped because the receive queue was full.</summary>
    ReceiveQueueFull,

    /// <summary>An application datagram arrived in a session that then failed (fatal alert, decode error).</summary>
    SessionError,

    /// <summary><see cref="DtlsServerTransport.SendAsync"/> to a peer with no established session (expired, dropped, replaced).</summary>
    SendNoSession,
}
