using System.Net;
using System.Text;
using EdgeNode.BudgetGuard.Measurement;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>Our own CoAP client and server on loopback, plain or DTLS-PSK, optionally through a capturing relay.</summary>
public static class OwnStack
{
    /// <summary>Starts our server with <paramref name="map"/>'s resources on 127.0.0.1 (ephemeral port).</summary>
    public static async Task<CoapServer> StartServerAsync(bool dtls, Action<CoapServer> map, CancellationToken cancellationToken)
    {
        IDatagramTransport transport = dtls
            ? new DtlsServerTransport(new IPEndPoint(IPAddress.Loopback, 0), new PskKeys(WireCapture.PskIdentity, WireCapture.Psk))
            : new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new CoapServer(transport);
        map(server);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Connects our client to <paramref name="target"/> (a server or a relay in front of one).</summary>
    /// <returns>The client, and its DTLS transport when <paramref name="dtls"/> (for the negotiated suite).</returns>
    public static async Task<(CoapClient Client, DtlsClientTransport? Dtls)> ConnectAsync(bool dtls, IPEndPoint target, CancellationToken cancellationToken)
    {
        if (!dtls)
        {
            return (new CoapClient(new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0)), new PeerAddress(target)), null);
        }

        var transport = await DtlsClientTransport.ConnectAsync(target, WireCapture.PskIdentity, Encoding.UTF8.GetBytes(WireCapture.Psk), null, cancellationToken);
        return (new CoapClient(transport, new PeerAddress(target)), transport);
    }
}
