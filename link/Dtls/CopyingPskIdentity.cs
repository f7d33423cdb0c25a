using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Tls;

namespace EdgeNode.Link.Dtls;

/// <summary>The client's PSK identity and key. <see cref="GetPsk"/> returns a fresh copy each call because
/// BouncyCastle clears the array it is given.</summary>
internal sealed class CopyingPskIdentity(string identity, ReadOnlySpan<byte> key) : TlsPskIdentity, IDisposable
{
    private readonly byte[] _identity = Encoding.UTF8.GetBytes(identity);
    private readonly byte[] _key = key.ToArray();

    public void SkipIdentityHint()
    {
    }

    public void NotifyIdentityHint(byte[] psk_identity_hint)
    {
    }

    public byte[] GetPskIdentity() => (byte[])_identity.Clone();

    public byte[] GetPsk() => (byte[])_key.Clone();

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
