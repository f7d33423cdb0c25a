using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Tls.Crypto;

namespace EdgeNode.Link.Dtls;

/// <summary>The handshake transcript hash of <see cref="PskClientCrypto"/>: SHA-256 over BouncyCastle's
/// <see cref="Sha256Digest"/>, the only hash our suites' PRF needs.</summary>
internal sealed class Sha256TlsHash : TlsHash
{
    private readonly Sha256Digest _digest;

    public Sha256TlsHash() => _digest = new Sha256Digest();

    private Sha256TlsHash(Sha256Digest state) => _digest = new Sha256Digest(state);

    public void Update(byte[] input, int inOff, int length) => _digest.BlockUpdate(input, inOff, length);

    public void Update(ReadOnlySpan<byte> input) => _digest.BlockUpdate(input);

    public byte[] CalculateHash()
    {
        var hash = new byte[_digest.GetDigestSize()];
        _digest.DoFinal(hash, 0);
        return hash;
    }

    public TlsHash CloneHash() => new Sha256TlsHash(_digest);

    public void Reset() => _digest.Reset();
}
