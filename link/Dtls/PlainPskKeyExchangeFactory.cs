using Org.BouncyCastle.Tls;

namespace EdgeNode.Link.Dtls;

/// <summary>The client's key exchange factory: plain PSK and nothing else. BouncyCastle's default factory would
/// keep every key exchange (DHE, ECDHE, RSA, SRP and their PSK variants) linked into the agent.</summary>
internal sealed class PlainPskKeyExchangeFactory : AbstractTlsKeyExchangeFactory
{
    public override TlsKeyExchange CreatePskKeyExchangeClient(int keyExchange, TlsPskIdentity pskIdentity, TlsDHGroupVerifier dhGroupVerifier) =>
        keyExchange == KeyExchangeAlgorithm.PSK
            ? new PlainPskKeyExchange(pskIdentity)
            : throw new TlsFatalAlert(AlertDescription.internal_error, $"key exchange {keyExchange} is not plain PSK");
}
