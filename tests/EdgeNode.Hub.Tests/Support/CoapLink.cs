using System.Net;
using EdgeNode.Hub.Devices;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;

namespace EdgeNode.Hub.Tests.Support;

/// <summary>The real CoAP client over UDP (plain, identity in d=) or DTLS-PSK (identity = PSK identity).</summary>
public sealed class CoapLink : IAgentLink
{
    private static readonly (DeviceResource, CoapMethod, string)[] Paths =
    [
        (DeviceResource.Enroll, CoapMethod.Post, "enroll"), (DeviceResource.Register, CoapMethod.Post, "reg"),
        (DeviceResource.Heartbeat, CoapMethod.Post, "hb"), (DeviceResource.DesiredState, CoapMethod.Get, "ds"),
        (DeviceResource.Status, CoapMethod.Post, "st"), (DeviceResource.Events, CoapMethod.Post, "ev"),
        (DeviceResource.CommandResult, CoapMethod.Post, "cmd"),
    ];

    private readonly IDatagramTransport _transport;
    private readonly CoapClient _client;
    private readonly string? _plainIdentity;

    private CoapLink(IDatagramTransport transport, IPEndPoint hub, string? plainIdentity)
    {
        _transport = transport;
        _plainIdentity = plainIdentity;
        _client = new CoapClient(transport, new PeerAddress(hub), new CoapEndpointOptions { AckTimeout = TimeSpan.FromSeconds(1) });
    }

    public static CoapLink Plain(IPEndPoint hub, string? deviceId) => new(new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0)), hub, deviceId);

    public static async Task<CoapLink> SecureAsync(IPEndPoint hub, string identity, byte[] key) =>
        new(await DtlsClientTransport.ConnectAsync(hub, identity, key, new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(5) }), hub, null);

    public CoapClient Client => _client;

    public async Task<(DeviceReplyCode Code, byte[] Payload)> SendAsync(DeviceResource resource, ReadOnlyMemory<byte> payload)
    {
        var (_, method, path) = Paths.Single(p => p.Item1 == resource);
        var options = new CoapRequestOptions { Query = _plainIdentity is null ? [] : ["d=" + _plainIdentity] };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await _client.SendAsync(method, path, method == CoapMethod.Get ? default : payload, options, cts.Token);
        return ((DeviceReplyCode)response.Code.Value, response.Payload.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _transport.DisposeAsync();
    }
}
