using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace EdgeNode.Link.Dtls;

/// <summary>BouncyCastle's server peer for one handshake: DTLS 1.2 only, the configured PSK suites, a bounded handshake.</summary>
internal sealed class ServerPskTlsServer(TlsCrypto crypto, PskIdentityLookup lookup, int[] cipherSuites, int handshakeTimeoutMillis)
    : PskTlsServer(crypto, lookup)
{
    public PskIdentityLookup Lookup => lookup;

    /// <summary>The last fatal alert the client sent, if any.</summary>
    public short? AlertReceived { get; private set; }

    /// <summary>The last fatal alert we raised, if any.</summary>
    public short? AlertRaised { get; private set; }

    public SecurityParameters SecurityParameters => m_context.SecurityParameters;

    /// <summary>RFC 6347 §4.1.2.7: invalid records are dropped silently instead of failing the session, so a
    /// spoofed garbage datagram cannot tear down someone else's session.</summary>
    public override bool IgnoreCorruptDtlsRecords => true;

    public override int GetHandshakeTimeoutMillis() => handshakeTimeoutMillis;

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause)
    {
        if (alertLevel == AlertLevel.fatal)
            AlertRaised = alertDescription;
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        if (alertLevel == AlertLevel.fatal)
            AlertReceived = alertDescription;
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => (int[])cipherSuites.Clone();
}
