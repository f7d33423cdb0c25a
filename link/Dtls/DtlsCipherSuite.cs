namespace EdgeNode.Link.Dtls;

/// <summary>
/// The DTLS 1.2 PSK cipher suites EdgeNode offers, with their IANA code points. Both are AEAD suites that
/// libcoap's OpenSSL and GnuTLS builds accept (the OpenSSL build refuses the CBC suites).
/// </summary>
public enum DtlsCipherSuite
{
    /// <summary>TLS_PSK_WITH_AES_128_CCM_8 (RFC 6655, 0xC0A8): the CoAP mandatory-to-implement suite
    /// (RFC 7252 §9.1.3.1); 8-byte explicit nonce + 8-byte tag per record.</summary>
    PskWithAes128Ccm8 = 0xC0A8,

    /// <summary>TLS_PSK_WITH_AES_128_GCM_SHA256 (RFC 5487, 0x00A8); 8-byte explicit nonce + 16-byte tag per record.</summary>
    PskWithAes128GcmSha256 = 0x00A8,
}
