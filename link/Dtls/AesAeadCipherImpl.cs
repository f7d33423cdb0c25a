using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace EdgeNode.Link.Dtls;

/// <summary>One direction (encrypt or decrypt) of an AES-CCM or AES-GCM record cipher for BouncyCastle's
/// <see cref="TlsAeadCipher"/>, which does the record framing (explicit nonce, additional data, sequence numbers).
/// A failed tag check is a bad_record_mac alert, as in BouncyCastle's own implementation.</summary>
internal sealed class AesAeadCipherImpl : TlsAeadCipherImpl
{
    private readonly IAeadCipher _cipher;
    private readonly bool _encrypting;
    private KeyParameter? _key;

    private AesAeadCipherImpl(IAeadCipher cipher, bool encrypting)
    {
        _cipher = cipher;
        _encrypting = encrypting;
    }

    /// <summary>AES in CCM mode (RFC 3610; RFC 6655 for TLS).</summary>
    public static AesAeadCipherImpl Ccm(bool encrypting) => new(new CcmBlockCipher(AesUtilities.CreateEngine()), encrypting);

    /// <summary>AES in GCM mode (NIST SP 800-38D; RFC 5288 for TLS).</summary>
    public static AesAeadCipherImpl Gcm(bool encrypting) => new(new GcmBlockCipher(AesUtilities.CreateEngine()), encrypting);

    public void SetKey(byte[] key, int keyOff, int keyLen) => _key = new KeyParameter(key, keyOff, keyLen);

    public void SetKey(ReadOnlySpan<byte> key) => _key = new KeyParameter(key);

    public void Init(byte[] nonce, int macSize, byte[] additionalData)
    {
        var key = _key ?? throw new TlsFatalAlert(AlertDescription.internal_error, "AEAD record cipher used before its key was set");
        _cipher.Init(_encrypting, new AeadParameters(key, macSize * 8, nonce, additionalData));
    }

    public int GetOutputSize(int inputLength) => _cipher.GetOutputSize(inputLength);

    public int DoFinal(byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset) =>
        DoFinal(null, input, inputOffset, inputLength, output, outputOffset);

    public int DoFinal(byte[]? additionalData, byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset)
    {
        if (additionalData is not null)
            _cipher.ProcessAadBytes(additionalData, 0, additionalData.Length);
        var length = _cipher.ProcessBytes(input, inputOffset, inputLength, output, outputOffset);
        try
        {
            return length + _cipher.DoFinal(output, outputOffset + length);
        }
        catch (InvalidCipherTextException e)
        {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
        }
    }

    public void Reset() => _cipher.Reset();
}
