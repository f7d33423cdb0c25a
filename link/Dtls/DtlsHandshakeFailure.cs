namespace EdgeNode.Link.Dtls;

/// <summary>Why a DTLS handshake failed (a label of the failed-handshake counter and of the log line).</summary>
public enum DtlsHandshakeFailure
{
    /// <summary>The PSK identity is unknown to the key store (or revoked); unknown_psk_identity was sent or received.</summary>
    UnknownIdentity,

    /// <summary>The handshake did not finish within the handshake timeout. With PSK this is what a wrong key
    /// looks like: the peer's Finished record does not decrypt, is dropped, and no alert is sent.</summary>
    Timeout,

    /// <summary>The peer sent a fatal alert (e.g. handshake_failure when no cipher suite is shared).</summary>
    AlertReceived,

    /// <summary>We aborted with a fatal alert: malformed or unexpected handshake message, no shared cipher suite, ...</summary>
    ProtocolError,

    /// <summary>Canceled locally: transport disposed, session dropped, or the caller's cancellation token.</summary>
    Canceled,

    /// <summary>The peer is unreachable (ICMP port unreachable: nothing listens on the server port).</summary>
    Unreachable,
}
