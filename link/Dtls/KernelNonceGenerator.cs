using EdgeNode.Link.Security;
using Org.BouncyCastle.Tls.Crypto;

namespace EdgeNode.Link.Dtls;

/// <summary>Nonces (hello randoms, session ids, explicit record nonces) for <see cref="PskClientCrypto"/>, read
/// straight from the kernel's CSPRNG. Every call is independent of every other, which is what
/// <see cref="TlsCrypto.CreateNonceGenerator(byte[])"/> asks of separate generators, so the additional seed material
/// BouncyCastle passes in is not needed.</summary>
internal sealed class KernelNonceGenerator : TlsNonceGenerator
{
    public byte[] GenerateNonce(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var nonce = new byte[size];
        KernelRandom.Fill(nonce);
        return nonce;
    }
}
