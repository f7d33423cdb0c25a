using System.Text;
using EdgeNode.Link.Dtls;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>The TLS 1.2 PRF (P_SHA256, RFC 5246 §5) of the agent's own client crypto.</summary>
public sealed class PskClientSecretTests
{
    // The published TLS 1.2 PRF-SHA256 known-answer vector (IETF TLS WG list, also used by Go's crypto/tls and others):
    // 100 bytes, so the last HMAC block is truncated.
    private static readonly byte[] VectorSecret = Convert.FromHexString("9bbe436ba940f017b17652849a71db35");
    private static readonly byte[] VectorSeed = Convert.FromHexString("a0ba9f936cda311827a6f796ffd5198c");
    private const string VectorLabel = "test label";
    private static readonly byte[] VectorOutput = Convert.FromHexString(
        "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66");

    [Fact]
    public void PrfSha256_KnownAnswerVector_Matches()
    {
        var output = new byte[VectorOutput.Length];
        PskClientSecret.PrfSha256(VectorSecret, [.. Encoding.ASCII.GetBytes(VectorLabel), .. VectorSeed], output);
        Assert.Equal(VectorOutput, output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(64)]
    public void PrfSha256_ShorterOutput_IsPrefixOfLonger(int length)
    {
        var output = new byte[length];
        PskClientSecret.PrfSha256(VectorSecret, [.. Encoding.ASCII.GetBytes(VectorLabel), .. VectorSeed], output);
        Assert.Equal(VectorOutput[..length], output);
    }

    [Fact]
    public void DeriveUsingPrf_KnownAnswerVector_Matches()
    {
        var secret = new PskClientCrypto().CreateSecret(VectorSecret);
        var derived = secret.DeriveUsingPrf(PrfAlgorithm.tls_prf_sha256, VectorLabel, VectorSeed, VectorOutput.Length);
        Assert.Equal(VectorOutput, derived.Extract());
        // The source secret stays usable (BouncyCastle derives master secret and key block from one secret each).
        Assert.True(secret.IsAlive());
    }

    [Theory]
    [InlineData("master secret", 48)]
    [InlineData("key expansion", 40)]
    [InlineData("client finished", 12)]
    public void DeriveUsingPrf_SameAsBouncyCastle(string label, int length)
    {
        var secretBytes = Encoding.ASCII.GetBytes("a pre-master secret of some length, 45 bytes.");
        var seed = Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray();
        var ours = new PskClientCrypto().CreateSecret(secretBytes).DeriveUsingPrf(PrfAlgorithm.tls_prf_sha256, label, seed, length);
        var theirs = new BcTlsCrypto().CreateSecret(secretBytes).DeriveUsingPrf(PrfAlgorithm.tls_prf_sha256, label, seed, length);
        Assert.Equal(theirs.Extract(), ours.Extract());
    }

    [Fact]
    public void CalculateHmac_SameAsBouncyCastle()
    {
        var key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        var data = Encoding.ASCII.GetBytes("finished transcript");
        var ours = new PskClientCrypto().CreateSecret(key).CalculateHmac(CryptoHashAlgorithm.sha256, data, 0, data.Length);
        var theirs = new BcTlsCrypto().CreateSecret(key).CalculateHmac(CryptoHashAlgorithm.sha256, data, 0, data.Length);
        Assert.Equal(theirs, ours);
    }

    [Theory]
    [InlineData(PrfAlgorithm.tls_prf_sha384)]
    [InlineData(PrfAlgorithm.tls_prf_legacy)]
    [InlineData(PrfAlgorithm.tls13_hkdf_sha256)]
    public void DeriveUsingPrf_OtherAlgorithm_InternalError(int prfAlgorithm)
    {
        var secret = new PskClientCrypto().CreateSecret(VectorSecret);
        var alert = Assert.Throws<TlsFatalAlert>(() => secret.DeriveUsingPrf(prfAlgorithm, VectorLabel, VectorSeed, 12));
        Assert.Equal(AlertDescription.internal_error, alert.AlertDescription);
    }

    [Fact]
    public void Hkdf_InternalError()
    {
        var secret = new PskClientCrypto().CreateSecret(VectorSecret);
        Assert.Equal(AlertDescription.internal_error,
            Assert.Throws<TlsFatalAlert>(() => secret.HkdfExpand(CryptoHashAlgorithm.sha256, VectorSeed, 32)).AlertDescription);
        Assert.Equal(AlertDescription.internal_error,
            Assert.Throws<TlsFatalAlert>(() => secret.HkdfExtract(CryptoHashAlgorithm.sha256, secret)).AlertDescription);
    }

    [Fact]
    public void DeriveUsingPrf_DestroyedSecret_Throws()
    {
        var secret = new PskClientCrypto().CreateSecret(VectorSecret);
        secret.Destroy();
        Assert.Throws<InvalidOperationException>(() => secret.DeriveUsingPrf(PrfAlgorithm.tls_prf_sha256, VectorLabel, VectorSeed, 12));
    }

    [Fact]
    public void CreateSecret_CopiesInput()
    {
        var data = (byte[])VectorSecret.Clone();
        var secret = new PskClientCrypto().CreateSecret(data);
        Array.Clear(data);
        Assert.Equal(VectorSecret, secret.Extract());
    }
}
