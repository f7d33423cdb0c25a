using System.Text;
using Org.BouncyCastle.Tls;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// BouncyCastle's PSK lookup for one server handshake, over the hub's <see cref="IPskKeyStore"/>.
/// Remembers the identity the client offered (for the log line and the failure reason).
/// </summary>
internal sealed class PskIdentityLookup(IPskKeyStore store, string? hint, int maxIdentityBytes) : TlsPskIdentityManager
{
    /// <summary>The offered identity as text (UTF-8, or hex when it is not), null before the ClientKeyExchange.</summary>
    public string? OfferedIdentity { get; private set; }

    /// <summary>True when the store had no key for the offered identity.</summary>
    public bool UnknownIdentity { get; private set; }

    public byte[]? GetHint() => hint is null ? null : Encoding.UTF8.GetBytes(hint);

    public byte[]? GetPsk(byte[] identity)
    {
        var text = DtlsText.TryDecodeIdentity(identity);
        OfferedIdentity = text ?? DtlsText.Hex(identity);
        if (text is null || text.Length == 0 || identity.Length > maxIdentityBytes)
        {
            UnknownIdentity = true;
            return null;
        }
        var key = store.GetKey(text);
        if (key is null || key.Length == 0)
        {
            UnknownIdentity = true;
            return null;
        }

        // BouncyCastle clears the array it is given once the master secret is derived: hand it a copy every time,
        // or every handshake after the first would fail silently with an all-zero key.
        return (byte[])key.Clone();
    }
}
