using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace EdgeNode.Link.Dtls;

/// <summary>BouncyCastle's client peer: DTLS 1.2 only (the default is TLS 1.2 and fails with internal_error),
/// explicit PSK suites (the defaults hold only (EC)DHE-PSK), a bounded handshake, optional session resumption.</summary>
internal sealed class ClientPskTlsClient(TlsCrypto crypto, TlsPskIdentity identity, int[] cipherSuites, int handshakeTimeoutMillis, TlsSession? resume)
    : PskTlsClient(crypto, identity)
{
    public short? AlertReceived { get; private set; }

    public short? AlertRaised { get; private set; }

    public SecurityParameters SecurityParameters => m_context.SecurityParameters;

    public TlsSession? Session => m_context.Session;

    public override bool IgnoreCorruptDtlsRecords => true;

    /// <summary>Plain PSK only, so that BouncyCastle's (EC)DHE/RSA key exchanges are not linked into the agent.</summary>
    public override TlsKeyExchangeFactory GetKeyExchangeFactory() => new PlainPskKeyExchangeFactory();

    public override int GetHandshakeTimeoutMillis() => handshakeTimeoutMillis;

    public override TlsSession? GetSessionToResume() => resume;

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
