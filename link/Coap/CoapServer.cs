using EdgeNode.Link.Coap.Endpoint;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Link.Coap;

/// <summary>
/// A CoAP server on one transport: map handlers with <see cref="Map"/>, then <see cref="StartAsync"/>.
/// Serves <c>/.well-known/core</c> from the mapped resources; does block-wise transfers, deduplication and
/// separate responses for its handlers. <see cref="DisposeAsync"/> stops the receive loop (the transport stays
/// the caller's).
/// <para>Handlers start inline on the receive loop and run there until their first real <c>await</c>: keep the
/// synchronous part short (do I/O asynchronously). A handler still running after
/// <see cref="CoapEndpointOptions.SeparateResponseDelay"/> gets an empty ACK and a separate response.</para>
/// </summary>
public sealed class CoapServer : IAsyncDisposable
{
    private readonly CoapEndpoint endpoint;
    private readonly CoapResourceDispatcher dispatcher;

    public CoapServer(IDatagramTransport transport, CoapEndpointOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
        : this(transport, options, time, logger, random: null)
    {
    }

    internal CoapServer(IDatagramTransport transport, CoapEndpointOptions? options, TimeProvider? time, ILogger? logger, Random? random)
    {
        logger ??= NullLogger.Instance;
        dispatcher = new CoapResourceDispatcher(() => endpoint!, logger);
        endpoint = new CoapEndpoint(transport, options, time, logger, dispatcher, random);
    }

    public CoapEndpointMetrics Metrics => endpoint.Metrics;

    public System.Net.IPEndPoint LocalEndPoint => endpoint.Transport.LocalEndPoint;

    internal CoapEndpoint Endpoint => endpoint;

    /// <summary>
    /// Maps a handler. <paramref name="path"/> is "hb" or "a/b" (leading '/' optional). <paramref name="linkAttributes"/>
    /// are appended to the resource's link in /.well-known/core, e.g. <c>rt="edgenode.hb";ct=0</c>.
    /// </summary>
    public void Map(CoapMethod method, string path, CoapRequestHandler handler, string? linkAttributes = null) =>
        dispatcher.Map(method, path, handler, linkAttributes);

    /// <summary>The /.well-known/core document (RFC 6690 link format).</summary>
    public string GetLinkFormat() => dispatcher.BuildLinkFormat();

    /// <summary>Starts the receive loop and returns at once.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        endpoint.Start();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => endpoint.DisposeAsync();
}
