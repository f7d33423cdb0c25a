using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace EdgeNode.Link.Dtls;

/// <summary>A secret (pre-master, master, key block) held by <see cref="PskClientCrypto"/>. It derives only with the
/// TLS 1.2 PRF over SHA-256, the PRF of both our suites; the TLS 1.3 HKDF operations throw internal_error.</summary>
internal sealed class PskClientSecret(PskClientCrypto crypto, byte[] data) : AbstractTlsSecret(data)
{
    protected override AbstractTlsCrypto Crypto => crypto;

    public override TlsSecret DeriveUsingPrf(int prfAlgorithm, string label, byte[] seed, int length) =>
        DeriveUsingPrf(prfAlgorithm, label.AsSpan(), seed, length);

    public override TlsSecret DeriveUsingPrf(int prfAlgorithm, ReadOnlySpan<char> label, ReadOnlySpan<byte> seed, int length)
    {
        if (prfAlgorithm != PrfAlgorithm.tls_prf_sha256)
            throw new TlsFatalAlert(AlertDescription.internal_error, $"PRF algorithm {prfAlgorithm} is not supported by the PSK client crypto");
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        lock (this)
        {
            CheckAlive();
            // TLS labels are ASCII (RFC 5246 §5).
            var labelSeed = new byte[Encoding.ASCII.GetByteCount(label) + seed.Length];
            var labelLength = Encoding.ASCII.GetBytes(label, labelSeed);
            seed.CopyTo(labelSeed.AsSpan(labelLength));
            var output = new byte[length];
            PrfSha256(m_data, labelSeed, output);
            return new PskClientSecret(crypto, output);
        }
    }

    /// <summary>
    /// The TLS 1.2 PRF with SHA-256 (RFC 5246 §5), with the label already prepended to the seed:
    /// <code>
    /// P_SHA256(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...
    /// A(0) = seed, A(i) = HMAC(secret, A(i-1))
    /// </code>
    /// filling <paramref name="output"/> and truncating the last block.
    /// </summary>
    internal static void PrfSha256(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> labelSeed, Span<byte> output)
    {
        var hmac = new HMac(new Sha256Digest());
        hmac.Init(new KeyParameter(secret));
        var macSize = hmac.GetMacSize();
        Span<byte> a = stackalloc byte[macSize];
        Span<byte> block = stackalloc byte[macSize];
        // A(1) = HMAC(secret, seed)
        hmac.BlockUpdate(labelSeed);
        hmac.DoFinal(a);
        for (var position = 0; position < output.Length; position += macSize)
        {
            hmac.BlockUpdate(a);
            hmac.BlockUpdate(labelSeed);
            hmac.DoFinal(block);
            block[..Math.Min(macSize, output.Length - position)].CopyTo(output[position..]);
            // A(i+1) = HMAC(secret, A(i))
            hmac.BlockUpdate(a);
            hmac.DoFinal(a);
        }
        block.Clear();
        a.Clear();
    }

    public override TlsSecret HkdfExpand(int cryptoHashAlgorithm, byte[] info, int length) => throw NoHkdf();

    public override TlsSecret HkdfExpand(int cryptoHashAlgorithm, ReadOnlySpan<byte> info, int length) => throw NoHkdf();

    public override TlsSecret HkdfExtract(int cryptoHashAlgorithm, TlsSecret ikm) => throw NoHkdf();

    private static TlsFatalAlert NoHkdf() =>
        new(AlertDescription.internal_error, "HKDF (TLS 1.3) is not supported by the DTLS 1.2 PSK client crypto");
}
