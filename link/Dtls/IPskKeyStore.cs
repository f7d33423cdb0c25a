namespace EdgeNode.Link.Dtls;

/// <summary>
/// Looks up the pre-shared key of a PSK identity for <see cref="DtlsServerTransport"/> (the hub implements it
/// over its device registry). Called once per handshake, on a handshake thread; it must be thread-safe and fast.
/// </summary>
public interface IPskKeyStore
{
    /// <summary>The key of <paramref name="identity"/>, or null when the identity is unknown or revoked
    /// (the handshake then fails at once with unknown_psk_identity). The transport copies the array and
    /// clears its copy; the store keeps ownership of what it returns.</summary>
    byte[]? GetKey(string identity);
}
