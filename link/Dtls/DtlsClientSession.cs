using System.Net;
using Org.BouncyCastle.Tls;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// An established session that a later <see cref="DtlsClientTransport"/> to the same server may resume
/// (RFC 5246 §7.3 abbreviated handshake: one round trip, no PSK lookup). Kept in memory only; the server may
/// have forgotten it, and then a full handshake follows.
/// </summary>
public sealed class DtlsClientSession
{
    internal DtlsClientSession(TlsSession session, IPEndPoint server)
    {
        Session = session;
        Server = server;
    }

    public IPEndPoint Server { get; }

    internal TlsSession Session { get; }
}
