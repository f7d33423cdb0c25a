using System.Buffers.Binary;
using System.Net;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Metrics;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Devices;

/// <summary>
/// The CoAP (plain, dev) and CoAPS (DTLS-PSK) endpoints: a thin layer that maps each agent resource onto
/// <see cref="DeviceProtocolHandler"/>. Retiring a device drops its DTLS sessions at once.
/// </summary>
public sealed partial class DeviceEndpoints(
    DeviceProtocolHandler handler, FleetRegistry fleet, HubOptions options, TimeProvider time, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable, IMetricsContributor
{
    private static readonly (DeviceResource Resource, CoapMethod Method, string Path, string Rt)[] Resources =
    [
        (DeviceResource.Enroll, CoapMethod.Post, "enroll", "edgenode.enroll"),
        (DeviceResource.Register, CoapMethod.Post, "reg", "edgenode.reg"),
        (DeviceResource.Heartbeat, CoapMethod.Post, "hb", "edgenode.hb"),
        (DeviceResource.DesiredState, CoapMethod.Get, "ds", "edgenode.ds"),
        (DeviceResource.Status, CoapMethod.Post, "st", "edgenode.st"),
        (DeviceResource.Events, CoapMethod.Post, "ev", "edgenode.ev"),
        (DeviceResource.CommandResult, CoapMethod.Post, "cmd", "edgenode.cmd"),
    ];

    private readonly ILogger _log = loggers.CreateLogger("EdgeNode.Hub.Devices");
    private UdpTransport? _udp;
    private CoapServer? _coap;
    private DtlsServerTransport? _dtls;
    private CoapServer? _coaps;

    /// <summary>The bound plain CoAP endpoint (null when disabled).</summary>
    public IPEndPoint? CoapEndPoint => _coap?.LocalEndPoint;

    /// <summary>The bound CoAPS endpoint (null when disabled).</summary>
    public IPEndPoint? CoapsEndPoint => _dtls?.LocalEndPoint;

    public DtlsServerTransport? Dtls => _dtls;

    public CoapServer? PlainServer => _coap;

    public CoapServer? SecureServer => _coaps;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(options.CoapBindAddress);
        var coapOptions = new CoapEndpointOptions { MaxDeduplicationEntries = options.CoapDeduplicationEntries };
        if (options.CoapPort >= 0)
        {
            _udp = new UdpTransport(new IPEndPoint(address, options.CoapPort), receiveBufferBytes: 4 << 20);
            _coap = new CoapServer(_udp, coapOptions, time, loggers.CreateLogger("EdgeNode.Hub.Coap"));
            Map(_coap, secured: false);
            await _coap.StartAsync(cancellationToken);
            Log.Listening(_log, "CoAP (plain, development)", _coap.LocalEndPoint.ToString());
        }

        if (options.CoapsPort >= 0)
        {
            var dtlsOptions = new DtlsOptions { MaxSessions = options.MaxDtlsSessions, IdentityHint = "edgenode-hub" };
            _dtls = new DtlsServerTransport(new IPEndPoint(address, options.CoapsPort), new DevicePskKeyStore(handler), dtlsOptions, time,
                loggers.CreateLogger("EdgeNode.Hub.Dtls"));
            _coaps = new CoapServer(_dtls, coapOptions, time, loggers.CreateLogger("EdgeNode.Hub.Coaps"));
            Map(_coaps, secured: true);
            await _coaps.StartAsync(cancellationToken);
            fleet.DeviceRetired += DropSessions;
            Log.Listening(_log, "CoAPS (DTLS-PSK)", _dtls.LocalEndPoint.ToString());
        }
    }

    private void DropSessions(string deviceId)
    {
        var dropped = _dtls?.DropSessions(deviceId) ?? 0;
        Log.SessionsDropped(_log, deviceId, dropped);
    }

    private void Map(CoapServer server, bool secured)
    {
        foreach (var (resource, method, path, rt) in Resources)
        {
            var r = resource;
            var inline = r is DeviceResource.Heartbeat or DeviceResource.DesiredState;
            server.Map(method, path, (req, ct) => inline
                ? ValueTask.FromResult(Answer(r, req, secured))
                : new ValueTask<CoapResponse>(Task.Run(() => Answer(r, req, secured), ct)),
                $"rt=\"{rt}\"");
        }
    }

    private CoapResponse Answer(DeviceResource resource, CoapRequest request, bool secured)
    {
        var identity = secured ? request.Peer.Identity : request.GetQueryValue("d");
        var reply = handler.Handle(resource, identity, secured, request.Payload);
        var response = new CoapResponse(new CoapCode((byte)reply.Code), reply.Payload);
        if (reply.ETag is { } generation)
        {
            response = response with { ETag = ETagOf(generation) };
        }

        return response;
    }

    /// <summary>The generation as a CoAP ETag: big-endian, leading zero bytes dropped (1–8 bytes).</summary>
    public static byte[] ETagOf(ulong generation)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, generation);
        var skip = 0;
        while (skip < 7 && bytes[skip] == 0)
        {
            skip++;
        }

        return bytes[skip..];
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        fleet.DeviceRetired -= DropSessions;
        if (_coap is not null)
        {
            await _coap.DisposeAsync();
            _coap = null;
        }

        if (_udp is not null)
        {
            await _udp.DisposeAsync();
            _udp = null;
        }

        if (_coaps is not null)
        {
            await _coaps.DisposeAsync();
            _coaps = null;
        }

        if (_dtls is not null)
        {
            await _dtls.DisposeAsync();
            _dtls = null;
        }
    }

    public void Write(PrometheusWriter writer)
    {
        foreach (var (name, server) in new[] { ("coap", _coap), ("coaps", _coaps) })
        {
            if (server is null)
            {
                continue;
            }

            foreach (var counter in Enum.GetValues<CoapCounter>())
            {
                var metric = CoapEndpointMetrics.GetName(counter);
                if (metric.StartsWith("coap_malformed_", StringComparison.Ordinal))
                {
                    writer.Counter("edgenode_coap_bad_datagrams_total", "Malformed CoAP datagrams dropped or rejected, by reason.",
                        server.Metrics[counter], ("endpoint", name), ("reason", metric["coap_malformed_".Length..^"_total".Length]));
                }
                else
                {
                    writer.Counter("edgenode_" + metric, $"CoAP endpoint counter {counter}.", server.Metrics[counter], ("endpoint", name));
                }
            }
        }

        if (_dtls is { } dtls)
        {
            var m = dtls.Metrics;
            writer.Counter("edgenode_dtls_handshakes_succeeded_total", "DTLS handshakes completed.", m.HandshakesSucceeded);
            foreach (var reason in Enum.GetValues<DtlsHandshakeFailure>())
            {
                writer.Counter("edgenode_dtls_handshake_failures_total", "DTLS handshakes that failed, by reason (unknown identity = unknown or revoked device).",
                    m.HandshakesFailedBy(reason), ("reason", reason.ToString().ToLowerInvariant()));
            }

            foreach (var reason in Enum.GetValues<DtlsDropReason>())
            {
                writer.Counter("edgenode_dtls_datagrams_dropped_total", "Datagrams dropped by the DTLS transport, by reason.",
                    m.Dropped(reason), ("reason", reason.ToString().ToLowerInvariant()));
            }

            writer.Gauge("edgenode_dtls_sessions_active", "Established DTLS sessions.", m.SessionsActive);
            writer.Counter("edgenode_dtls_sessions_dropped_total", "DTLS sessions dropped (revoked devices).", m.SessionsDropped);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "{Kind} listening on {EndPoint}")]
        public static partial void Listening(ILogger logger, string kind, string endPoint);

        [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Device {DeviceId} retired: dropped {Count} DTLS session(s)")]
        public static partial void SessionsDropped(ILogger logger, string deviceId, int count);
    }
}
