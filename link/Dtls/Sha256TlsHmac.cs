using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls.Crypto;

namespace EdgeNode.Link.Dtls;

/// <summary>HMAC-SHA256 (RFC 2104) for <see cref="PskClientCrypto"/>, over BouncyCastle's <see cref="HMac"/>.</summary>
internal sealed class Sha256TlsHmac : TlsHmac
{
    private readonly HMac _hmac = new(new Sha256Digest());

    public int InternalBlockSize => _hmac.GetUnderlyingDigest().GetByteLength();

    public int MacLength => _hmac.GetMacSize();

    public void SetKey(byte[] key, int keyOff, int keyLen) => _hmac.Init(new KeyParameter(key, keyOff, keyLen));

    public void SetKey(ReadOnlySpan<byte> key) => _hmac.Init(new KeyParameter(key));

    public void Update(byte[] input, int inOff, int length) => _hmac.BlockUpdate(input, inOff, length);

    public void Update(ReadOnlySpan<byte> input) => _hmac.BlockUpdate(input);

    public byte[] CalculateMac()
    {
        var mac = new byte[_hmac.GetMacSize()];
        _hmac.DoFinal(mac, 0);
        return mac;
    }

    public void CalculateMac(byte[] output, int outOff) => _hmac.DoFinal(output, outOff);

    public void CalculateMac(Span<byte> output) => _hmac.DoFinal(output);

    public void Reset() => _hmac.Reset();
}
