using System.Net;
using System.Net.Sockets;
using EdgeNode.Agent.Configuration;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Link;

/// <summary>
/// <see cref="IHubConnector"/> over the link stack: a DTLS-PSK client transport (or plain UDP in dev mode) under a
/// <see cref="CoapClient"/>. Hub addresses are tried in turn, starting with the last one that worked.
/// </summary>
public sealed partial class CoapHubConnector : IHubConnector
{
    private readonly IReadOnlyList<HubEndpoint> _endpoints;
    private readonly bool _plain;
    private readonly CoapEndpointOptions _coap;
    private readonly DtlsOptions _dtls;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _preferred;

    public CoapHubConnector(IReadOnlyList<HubEndpoint> endpoints, bool plainCoap, CoapEndpointOptions? coap, DtlsOptions? dtls, TimeProvider time, ILogger<CoapHubConnector> logger)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one hub endpoint is needed", nameof(endpoints));
        }

        _endpoints = endpoints;
        _plain = plainCoap;
        _coap = coap ?? new CoapEndpointOptions();
        _dtls = dtls ?? new DtlsOptions();
        _time = time;
        _logger = logger;
    }

    public async ValueTask<IHubSession> ConnectAsync(HubCredentials credentials, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        for (var i = 0; i < _endpoints.Count; i++)
        {
            var index = (_preferred + i) % _endpoints.Count;
            var endpoint = _endpoints[index];
            try
            {
                var address = await ResolveAsync(endpoint, cancellationToken).ConfigureAwait(false);
                IDatagramTransport transport = _plain
                    ? new UdpTransport(new IPEndPoint(address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0))
                    : await DtlsClientTransport.ConnectAsync(address, credentials.Identity, credentials.Key, _dtls, cancellationToken).ConfigureAwait(false);
                var client = new CoapClient(transport, new PeerAddress(address, _plain ? null : credentials.Identity), _coap, _time, _logger);
                _preferred = index;
                LogConnected(_logger, endpoint.ToString(), credentials.Identity, _plain ? "plain CoAP (dev mode)" : "DTLS-PSK");
                return new Session(client, transport, (_plain ? "coap://" : "coaps://") + endpoint);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (DtlsHandshakeException e) when (e.Reason == DtlsHandshakeFailure.UnknownIdentity)
            {
                // The hub answered: it does not know (or has revoked) this identity. Retrying elsewhere will not help.
                throw new HubRequestException("DTLS handshake", new HubReply(HubReply.MakeCode(4, 1), ReadOnlyMemory<byte>.Empty),
                    $"hub {endpoint} refuses PSK identity '{credentials.Identity}' (unknown or revoked)");
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or TimeoutException)
            {
                failures.Add($"{endpoint}: {e.Message}");
            }
        }

        throw new HubUnreachableException($"no hub answered as identity '{credentials.Identity}': {string.Join("; ", failures)}");
    }

    private static async Task<IPEndPoint> ResolveAsync(HubEndpoint endpoint, CancellationToken ct)
    {
        if (IPAddress.TryParse(endpoint.Host, out var ip))
        {
            return new IPEndPoint(ip, endpoint.Port);
        }

        var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, ct).ConfigureAwait(false);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new IOException($"host name '{endpoint.Host}' has no address");
        return new IPEndPoint(chosen, endpoint.Port);
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "connected to hub {Hub} as {Identity} over {Mode}")]
    private static partial void LogConnected(ILogger logger, string hub, string identity, string mode);

    private sealed class Session(CoapClient client, IDatagramTransport transport, string remote) : IHubSession
    {
        public string Remote => remote;

        public async ValueTask<HubReply> SendAsync(HubMethod method, string path, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var q = path.IndexOf('?');
            var options = new CoapRequestOptions { Query = q < 0 ? [] : [Uri.UnescapeDataString(path[(q + 1)..])] };
            var resource = q < 0 ? path : path[..q];
            try
            {
                var response = await client.SendAsync(method == HubMethod.Get ? CoapMethod.Get : CoapMethod.Post, resource, payload, options, cancellationToken).ConfigureAwait(false);
                return new HubReply(response.Code.Value, response.Payload);
            }
            catch (CoapTimeoutException e)
            {
                throw new HubUnreachableException($"{resource} on {remote}: {e.Message}", e);
            }
            catch (CoapResetException e)
            {
                throw new HubUnreachableException($"{resource} on {remote}: reset by the hub ({e.Message})", e);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                throw new HubUnreachableException($"{resource} on {remote}: {e.Message}", e);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync().ConfigureAwait(false);
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }
}
