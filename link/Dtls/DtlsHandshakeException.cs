using System.Net;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// A DTLS handshake failed. The message names the server, the identity and the reason, e.g.
/// <c>DTLS handshake with 127.0.0.1:5684 as 'dev-42' failed: no answer to our Finished within 5 s (wrong key or unknown identity?)</c>.
/// It never contains the key.
/// </summary>
public sealed class DtlsHandshakeException : IOException
{
    public DtlsHandshakeException(IPEndPoint server, string identity, DtlsHandshakeFailure reason, string detail, Exception? inner = null)
        : base($"DTLS handshake with {server} as '{DtlsText.Printable(identity)}' failed: {detail}", inner)
    {
        Server = server;
        Identity = identity;
        Reason = reason;
    }

    public IPEndPoint Server { get; }

    public string Identity { get; }

    public DtlsHandshakeFailure Reason { get; }
}
