using System.Net;

namespace EdgeNode.Link.Transport;

/// <summary>
/// Who sent (or will receive) a datagram: the remote UDP endpoint and, on a secured (DTLS-PSK) transport,
/// the PSK identity the peer authenticated with. <see cref="Identity"/> is null on plain CoAP.
/// </summary>
public readonly record struct PeerAddress(IPEndPoint EndPoint, string? Identity = null)
{
    public override string ToString() => Identity is null ? EndPoint.ToString() : $"{Identity}@{EndPoint}";
}
