using EdgeNode.Link.Security;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// The agent's DTLS client crypto: exactly what a DTLS 1.2 plain-PSK client with our two suites
/// (<see cref="DtlsCipherSuite"/>) needs, that is SHA-256, HMAC-SHA256, the TLS 1.2 PRF over SHA-256, AES-128-CCM_8
/// and AES-128-GCM records and kernel nonces. Everything else (certificates, DH, EC, RSA, SRP, KEM, signatures,
/// TLS 1.3 HKDF) is reported unsupported, and asking for it anyway raises internal_error.
/// </summary>
/// <remarks>
/// BouncyCastle's <c>BcTlsCrypto</c> supports all of that too, and native AOT compiles every path of a type it
/// constructs: X.509 parsing and the elliptic-curve library stayed linked into the agent although a PSK handshake
/// never reaches them. This class keeps them out. The hub's server keeps <c>BcTlsCrypto</c>.
/// </remarks>
internal sealed class PskClientCrypto : AbstractTlsCrypto
{
    private const int Aes128KeySize = 16;

    public override SecureRandom SecureRandom { get; } = KernelRandomGenerator.CreateSecureRandom();

    public override bool HasAnyStreamVerifiers(IList<SignatureAndHashAlgorithm> signatureAndHashAlgorithms) => false;

    public override bool HasAnyStreamVerifiersLegacy(short[] clientCertificateTypes) => false;

    public override bool HasCryptoHashAlgorithm(int cryptoHashAlgorithm) => cryptoHashAlgorithm == CryptoHashAlgorithm.sha256;

    public override bool HasCryptoSignatureAlgorithm(int cryptoSignatureAlgorithm) => false;

    public override bool HasDHAgreement() => false;

    public override bool HasECDHAgreement() => false;

    public override bool HasEncryptionAlgorithm(int encryptionAlgorithm) =>
        encryptionAlgorithm is EncryptionAlgorithm.AES_128_CCM_8 or EncryptionAlgorithm.AES_128_GCM;

    public override bool HasHkdfAlgorithm(int cryptoHashAlgorithm) => false;

    public override bool HasKemAgreement() => false;

    public override bool HasMacAlgorithm(int macAlgorithm) => macAlgorithm == MacAlgorithm.hmac_sha256;

    public override bool HasNamedGroup(int namedGroup) => false;

    public override bool HasRsaEncryption() => false;

    public override bool HasSignatureAlgorithm(short signatureAlgorithm) => false;

    public override bool HasSignatureAndHashAlgorithm(SignatureAndHashAlgorithm sigAndHashAlgorithm) => false;

    public override bool HasSignatureScheme(int signatureScheme) => false;

    public override bool HasSrpAuthentication() => false;

    public override TlsSecret CreateSecret(byte[] data) => new PskClientSecret(this, (byte[])data.Clone());

    public override TlsHash CreateHash(int cryptoHashAlgorithm) => cryptoHashAlgorithm == CryptoHashAlgorithm.sha256
        ? new Sha256TlsHash()
        : throw Unsupported($"hash algorithm {cryptoHashAlgorithm}");

    public override TlsHmac CreateHmac(int macAlgorithm) => macAlgorithm == MacAlgorithm.hmac_sha256
        ? new Sha256TlsHmac()
        : throw Unsupported($"MAC algorithm {macAlgorithm}");

    public override TlsHmac CreateHmacForHash(int cryptoHashAlgorithm) => cryptoHashAlgorithm == CryptoHashAlgorithm.sha256
        ? new Sha256TlsHmac()
        : throw Unsupported($"HMAC hash algorithm {cryptoHashAlgorithm}");

    public override TlsNonceGenerator CreateNonceGenerator(byte[] additionalSeedMaterial) => new KernelNonceGenerator();

    public override TlsNonceGenerator CreateNonceGenerator(ReadOnlySpan<byte> additionalSeedMaterial) => new KernelNonceGenerator();

    /// <summary>The record cipher; the MAC algorithm is ignored because both suites are AEAD.</summary>
    public override TlsCipher CreateCipher(TlsCryptoParameters cryptoParams, int encryptionAlgorithm, int macAlgorithm) =>
        encryptionAlgorithm switch
        {
            // RFC 6655: AES-128-CCM with an 8-byte tag.
            EncryptionAlgorithm.AES_128_CCM_8 => new TlsAeadCipher(cryptoParams, AesAeadCipherImpl.Ccm(true),
                AesAeadCipherImpl.Ccm(false), Aes128KeySize, 8, TlsAeadCipher.AEAD_CCM),
            // RFC 5288/5487: AES-128-GCM with a 16-byte tag.
            EncryptionAlgorithm.AES_128_GCM => new TlsAeadCipher(cryptoParams, AesAeadCipherImpl.Gcm(true),
                AesAeadCipherImpl.Gcm(false), Aes128KeySize, 16, TlsAeadCipher.AEAD_GCM),
            _ => throw Unsupported($"encryption algorithm {encryptionAlgorithm}"),
        };

    public override TlsCertificate CreateCertificate(short type, byte[] encoding) => throw Unsupported("certificates");

    public override TlsDHDomain CreateDHDomain(TlsDHConfig dhConfig) => throw Unsupported("DH key agreement");

    public override TlsECDomain CreateECDomain(TlsECConfig ecConfig) => throw Unsupported("ECDH key agreement");

    public override TlsKemDomain CreateKemDomain(TlsKemConfig kemConfig) => throw Unsupported("KEM key agreement");

    public override TlsSecret GenerateRsaPreMasterSecret(ProtocolVersion clientVersion) => throw Unsupported("RSA key exchange");

    public override TlsSrp6Client CreateSrp6Client(TlsSrpConfig srpConfig) => throw Unsupported("SRP");

    public override TlsSrp6Server CreateSrp6Server(TlsSrpConfig srpConfig, BigInteger srpVerifier) => throw Unsupported("SRP");

    public override TlsSrp6VerifierGenerator CreateSrp6VerifierGenerator(TlsSrpConfig srpConfig) => throw Unsupported("SRP");

    public override TlsSecret CreateHybridSecret(TlsSecret s1, TlsSecret s2) => throw Unsupported("hybrid key exchange");

    public override TlsSecret HkdfInit(int cryptoHashAlgorithm) => throw Unsupported("HKDF (TLS 1.3)");

    private static TlsFatalAlert Unsupported(string what) =>
        new(AlertDescription.internal_error, $"{what} is not supported by the DTLS 1.2 PSK client crypto");
}
