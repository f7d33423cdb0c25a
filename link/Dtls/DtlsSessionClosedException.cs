using System.Net;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// The DTLS session of a <see cref="DtlsClientTransport"/> is over: the server closed it (close_notify, e.g.
/// after the hub dropped the sessions of a revoked identity), a fatal alert arrived, or the socket failed.
/// Connect again to continue. It is an <see cref="ObjectDisposedException"/> because the transport is as good as
/// disposed (the <c>IDatagramTransport</c> contract: transports throw only for misuse or disposal), so a CoAP
/// receive loop stops cleanly instead of retrying a receive that can never succeed.
/// </summary>
public sealed class DtlsSessionClosedException : ObjectDisposedException
{
    public DtlsSessionClosedException(IPEndPoint server, string identity, string reason, Exception? inner = null)
        : base($"DTLS session with {server} as '{DtlsText.Printable(identity)}' is closed: {reason}", inner)
    {
        Server = server;
        Identity = identity;
    }

    public IPEndPoint Server { get; }

    public string Identity { get; }
}
