using EdgeNode.Link.Dtls;
using Org.BouncyCastle.Tls;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>The AES record ciphers of the agent's client crypto, against the NIST example vectors.</summary>
public sealed class AesAeadCipherImplTests
{
    // NIST SP 800-38C Appendix C, Example 2: CCM with an 8-byte nonce, 16 bytes of AAD and a 6-byte tag.
    private static readonly byte[] CcmKey = Convert.FromHexString("404142434445464748494a4b4c4d4e4f");
    private static readonly byte[] CcmNonce = Convert.FromHexString("1011121314151617");
    private static readonly byte[] CcmAad = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] CcmPlain = Convert.FromHexString("202122232425262728292a2b2c2d2e2f");
    private static readonly byte[] CcmSealed = Convert.FromHexString("d2a1f0e051ea5f62081a7792073d593d1fc64fbfaccd");

    // The GCM specification (McGrew and Viega), Test Case 2: zero key, zero 12-byte IV, one zero block.
    private static readonly byte[] GcmSealed = Convert.FromHexString("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");

    [Fact]
    public void Ccm_Encrypt_NistExample2()
    {
        var cipher = AesAeadCipherImpl.Ccm(encrypting: true);
        cipher.SetKey(CcmKey, 0, CcmKey.Length);
        cipher.Init(CcmNonce, 6, CcmAad);
        var output = new byte[cipher.GetOutputSize(CcmPlain.Length)];
        Assert.Equal(CcmSealed.Length, cipher.DoFinal(CcmPlain, 0, CcmPlain.Length, output, 0));
        Assert.Equal(CcmSealed, output);
    }

    [Fact]
    public void Ccm_DecryptWithAadAtDoFinal_NistExample2()
    {
        var cipher = AesAeadCipherImpl.Ccm(encrypting: false);
        cipher.SetKey(CcmKey);
        cipher.Init(CcmNonce, 6, null!);
        var output = new byte[cipher.GetOutputSize(CcmSealed.Length)];
        Assert.Equal(CcmPlain.Length, cipher.DoFinal(CcmAad, CcmSealed, 0, CcmSealed.Length, output, 0));
        Assert.Equal(CcmPlain, output);
    }

    [Fact]
    public void Gcm_EncryptThenDecrypt_TestCase2()
    {
        var encrypt = AesAeadCipherImpl.Gcm(encrypting: true);
        encrypt.SetKey(new byte[16]);
        encrypt.Init(new byte[12], 16, null!);
        var sealedRecord = new byte[encrypt.GetOutputSize(16)];
        encrypt.DoFinal(new byte[16], 0, 16, sealedRecord, 0);
        Assert.Equal(GcmSealed, sealedRecord);

        var decrypt = AesAeadCipherImpl.Gcm(encrypting: false);
        decrypt.SetKey(new byte[16]);
        decrypt.Init(new byte[12], 16, null!);
        var plain = new byte[decrypt.GetOutputSize(GcmSealed.Length)];
        Assert.Equal(16, decrypt.DoFinal(GcmSealed, 0, GcmSealed.Length, plain, 0));
        Assert.Equal(new byte[16], plain);
    }

    [Fact]
    public void Ccm_TamperedCiphertext_BadRecordMac()
    {
        var tampered = (byte[])CcmSealed.Clone();
        tampered[3] ^= 0x01;
        var cipher = AesAeadCipherImpl.Ccm(encrypting: false);
        cipher.SetKey(CcmKey);
        cipher.Init(CcmNonce, 6, CcmAad);
        var alert = Assert.Throws<TlsFatalAlert>(() => cipher.DoFinal(tampered, 0, tampered.Length, new byte[64], 0));
        Assert.Equal(AlertDescription.bad_record_mac, alert.AlertDescription);
    }

    [Fact]
    public void Init_BeforeSetKey_InternalError()
    {
        var alert = Assert.Throws<TlsFatalAlert>(() => AesAeadCipherImpl.Gcm(encrypting: true).Init(new byte[12], 16, null!));
        Assert.Equal(AlertDescription.internal_error, alert.AlertDescription);
    }
}
