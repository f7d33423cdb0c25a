using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace EdgeNode.Link.Dtls;

/// <summary>The client's DH group verifier: accepts no group. Plain PSK never negotiates DH; BouncyCastle's default
/// verifier would link its table of standard DH groups into the agent.</summary>
internal sealed class NoDHGroupVerifier : TlsDHGroupVerifier
{
    public bool Accept(DHGroup dhGroup) => false;
}
