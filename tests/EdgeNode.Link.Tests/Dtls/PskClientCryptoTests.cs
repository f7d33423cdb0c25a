using EdgeNode.Link.Dtls;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>What the agent's client crypto claims to support, and how it refuses the rest.</summary>
public sealed class PskClientCryptoTests
{
    private readonly PskClientCrypto _crypto = new();

    [Theory]
    [InlineData(DtlsCipherSuite.PskWithAes128Ccm8)]
    [InlineData(DtlsCipherSuite.PskWithAes128GcmSha256)]
    public void OurSuites_AreSupported(DtlsCipherSuite suite) =>
        Assert.True(TlsUtilities.IsSupportedCipherSuite(_crypto, (int)suite));

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256)]
    [InlineData(CipherSuite.TLS_DHE_PSK_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_RSA_PSK_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256)]
    [InlineData(CipherSuite.TLS_PSK_WITH_AES_256_GCM_SHA384)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    public void OtherSuites_AreNotSupported(int suite) => Assert.False(TlsUtilities.IsSupportedCipherSuite(_crypto, suite));

    [Fact]
    public void PublicKeyAlgorithms_AreNotSupported()
    {
        Assert.False(_crypto.HasDHAgreement());
        Assert.False(_crypto.HasECDHAgreement());
        Assert.False(_crypto.HasRsaEncryption());
        Assert.False(_crypto.HasSrpAuthentication());
        Assert.False(_crypto.HasKemAgreement());
        Assert.False(_crypto.HasNamedGroup(NamedGroup.secp256r1));
        Assert.False(_crypto.HasSignatureAlgorithm(SignatureAlgorithm.ecdsa));
        Assert.Equal(AlertDescription.internal_error,
            Assert.Throws<TlsFatalAlert>(() => _crypto.CreateCertificate(CertificateType.X509, [0x30, 0x00])).AlertDescription);
        Assert.Equal(AlertDescription.internal_error,
            Assert.Throws<TlsFatalAlert>(() => _crypto.CreateECDomain(new TlsECConfig(NamedGroup.secp256r1))).AlertDescription);
    }

    [Fact]
    public void Sha256Hash_ClonedMidway_MatchesKnownDigest()
    {
        var hash = _crypto.CreateHash(CryptoHashAlgorithm.sha256);
        hash.Update("a"u8.ToArray(), 0, 1);
        var clone = hash.CloneHash();
        hash.Update("bc"u8.ToArray(), 0, 2);
        clone.Update("bc"u8);
        // FIPS 180-2 example: SHA-256("abc").
        var abc = Convert.FromHexString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Assert.Equal(abc, hash.CalculateHash());
        Assert.Equal(abc, clone.CalculateHash());
    }

    [Fact]
    public void HmacSha256_Rfc4231TestCase2()
    {
        var hmac = _crypto.CreateHmac(MacAlgorithm.hmac_sha256);
        hmac.SetKey("Jefe"u8);
        hmac.Update("what do ya want for nothing?"u8);
        Assert.Equal(Convert.FromHexString("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), hmac.CalculateMac());
    }

    [Fact]
    public void NonceGenerator_GivesDistinctNoncesOfTheAskedSize()
    {
        var generator = _crypto.CreateNonceGenerator([]);
        var first = generator.GenerateNonce(32);
        var second = generator.GenerateNonce(32);
        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
    }
}
