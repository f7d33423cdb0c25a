using System.Net;
using Org.BouncyCastle.Tls;

namespace EdgeNode.Link.Dtls;

/// <summary>One remote endpoint of <see cref="DtlsServerTransport"/>: its datagram channel, and after the
/// handshake its BouncyCastle session and authenticated identity.</summary>
internal sealed class DtlsServerPeer(IPEndPoint endPoint, DtlsDatagramChannel channel, PskIdentityLookup lookup, byte[] clientRandom)
{
    private int _closed;
    private long _lastReceive;

    public IPEndPoint EndPoint => endPoint;

    public DtlsDatagramChannel Channel => channel;

    public PskIdentityLookup Lookup => lookup;

    /// <summary>The ClientHello random of this association (a retransmitted copy of it must not replace the session).</summary>
    public byte[] ClientRandom => clientRandom;

    /// <summary>Set once the handshake succeeded (under <see cref="DtlsDatagramChannel.Gate"/>).</summary>
    public DtlsTransport? Session { get; private set; }

    /// <summary>The authenticated PSK identity, once established.</summary>
    public string? Identity { get; private set; }

    /// <summary>The identity for log lines and DropSessions: authenticated, else offered so far.</summary>
    public string? KnownIdentity => Identity ?? lookup.OfferedIdentity;

    public DtlsCipherSuite CipherSuite { get; private set; }

    public PeerDelivery? Deliver { get; private set; }

    /// <summary>Why we closed it (null: the peer closed it or it failed).</summary>
    public string? CloseReason { get; set; }

    public long LastReceiveTimestamp => Interlocked.Read(ref _lastReceive);

    public void Touch(long timestamp) => Interlocked.Exchange(ref _lastReceive, timestamp);

    public void Established(DtlsTransport session, string identity, DtlsCipherSuite suite, PeerDelivery deliver, long timestamp)
    {
        Identity = identity;
        CipherSuite = suite;
        Deliver = deliver;
        Touch(timestamp);
        Session = session;
    }

    /// <summary>True the first time only.</summary>
    public bool MarkClosed() => Interlocked.Exchange(ref _closed, 1) == 0;

    public delegate void PeerDelivery(byte[] plaintext, int length);
}
