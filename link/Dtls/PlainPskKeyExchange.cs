using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// The client side of the plain PSK key exchange (RFC 4279 §2), the only one our suites use. Unlike BouncyCastle's
/// <c>TlsPskKeyExchange</c> it carries no DHE, ECDHE or RSA variant, so none of that code is linked into the agent.
/// </summary>
internal sealed class PlainPskKeyExchange(TlsPskIdentity identity) : AbstractTlsKeyExchange(KeyExchangeAlgorithm.PSK)
{
    private byte[]? _psk;
    private bool _hintSeen;

    /// <summary>
    /// The pre-master secret of RFC 4279 §2 for a PSK of N bytes:
    /// <code>
    /// struct {
    ///     opaque other_secret&lt;0..2^16-1&gt;;  // N zero bytes for plain PSK
    ///     opaque psk&lt;0..2^16-1&gt;;
    /// };
    /// </code>
    /// that is uint16(N) || zeros(N) || uint16(N) || psk.
    /// </summary>
    internal static byte[] Premaster(ReadOnlySpan<byte> psk)
    {
        if (psk.Length is 0 or > ushort.MaxValue)
            throw new TlsFatalAlert(AlertDescription.internal_error, $"a PSK must be 1 to {ushort.MaxValue} bytes, not {psk.Length}");
        var premaster = new byte[4 + 2 * psk.Length];
        BinaryPrimitives.WriteUInt16BigEndian(premaster, (ushort)psk.Length);
        BinaryPrimitives.WriteUInt16BigEndian(premaster.AsSpan(2 + psk.Length), (ushort)psk.Length);
        psk.CopyTo(premaster.AsSpan(4 + psk.Length));
        return premaster;
    }

    public override void SkipServerCredentials()
    {
        // Plain PSK has no server certificate.
    }

    public override void ProcessServerCredentials(TlsCredentials serverCredentials) =>
        throw new TlsFatalAlert(AlertDescription.internal_error, "plain PSK has no server credentials");

    public override void ProcessServerCertificate(Certificate serverCertificate) =>
        throw new TlsFatalAlert(AlertDescription.unexpected_message, "a plain-PSK server sent a certificate");

    /// <summary>A plain-PSK ServerKeyExchange is only <c>opaque psk_identity_hint&lt;0..2^16-1&gt;</c> (RFC 4279 §2).
    /// Our identity does not depend on the hint, so it is read and passed on, nothing more.</summary>
    public override void ProcessServerKeyExchange(Stream input)
    {
        var hint = TlsUtilities.ReadOpaque16(input);
        identity.NotifyIdentityHint(hint);
        _hintSeen = true;
    }

    public override void ProcessClientCredentials(TlsCredentials clientCredentials) =>
        throw new TlsFatalAlert(AlertDescription.internal_error, "plain PSK has no client credentials");

    /// <summary>ClientKeyExchange: <c>opaque psk_identity&lt;0..2^16-1&gt;</c> (RFC 4279 §2).</summary>
    public override void GenerateClientKeyExchange(Stream output)
    {
        if (!_hintSeen)
            identity.SkipIdentityHint();
        var pskIdentity = identity.GetPskIdentity() ?? throw new TlsFatalAlert(AlertDescription.internal_error, "no PSK identity");
        _psk = identity.GetPsk() ?? throw new TlsFatalAlert(AlertDescription.internal_error, "no PSK");
        TlsUtilities.WriteOpaque16(pskIdentity, output);
    }

    public override void ProcessClientKeyExchange(Stream input) =>
        throw new TlsFatalAlert(AlertDescription.internal_error, "this key exchange is the client side only");

    public override TlsSecret GeneratePreMasterSecret()
    {
        var psk = _psk ?? throw new TlsFatalAlert(AlertDescription.internal_error, "pre-master secret asked for before ClientKeyExchange");
        _psk = null;
        var premaster = Premaster(psk);
        CryptographicOperations.ZeroMemory(psk);
        try
        {
            return m_context.Crypto.CreateSecret(premaster);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(premaster);
        }
    }
}
