using System.Net;
using System.Text;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Dtls;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>Our CoapServer on our DtlsServerTransport, with a small resource, a 10 KiB resource (Block2) and an
/// upload sink (Block1).</summary>
internal sealed class CoapsHarness : IAsyncDisposable
{
    public const string Identity = "dev-42";
    public const string KeyText = "edgenode-secret-42";

    private CoapsHarness(DtlsServerTransport transport, CoapServer server, CapturingLogger logger)
    {
        Transport = transport;
        Server = server;
        Logger = logger;
    }

    public static byte[] Key => Encoding.ASCII.GetBytes(KeyText);

    /// <summary>10 KiB that are not all alike, so a misplaced block shows.</summary>
    public static byte[] Big { get; } = Enumerable.Range(0, 10 * 1024).Select(i => (byte)((i * 31 + (i >> 8)) % 251)).ToArray();

    public DtlsServerTransport Transport { get; }

    public CoapServer Server { get; }

    public CapturingLogger Logger { get; }

    public volatile byte[]? Uploaded;

    public volatile string? UploadIdentity;

    public int Port => Transport.LocalEndPoint.Port;

    public static async Task<CoapsHarness> StartAsync(DtlsOptions? options = null, TestKeyStore? keys = null)
    {
        keys ??= new TestKeyStore().Add(Identity, Key);
        var logger = new CapturingLogger();
        var transport = new DtlsServerTransport(new IPEndPoint(IPAddress.Loopback, 0), keys,
            options ?? new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(20) }, logger: logger);
        var server = new CoapServer(transport, logger: logger);
        var harness = new CoapsHarness(transport, server, logger);
        server.Map(CoapMethod.Get, "hello", (request, _) =>
            ValueTask.FromResult(CoapResponse.Content(Encoding.UTF8.GetBytes($"hello {request.Peer.Identity}"), CoapContentFormats.TextPlain)), "rt=\"test.hello\"");
        server.Map(CoapMethod.Get, "big", (_, _) => ValueTask.FromResult(CoapResponse.Content(Big, CoapContentFormats.OctetStream)));
        server.Map(CoapMethod.Post, "upload", (request, _) =>
        {
            harness.Uploaded = request.Payload.ToArray();
            harness.UploadIdentity = request.Peer.Identity;
            return ValueTask.FromResult(CoapResponse.Changed(Encoding.ASCII.GetBytes($"got {request.Payload.Length}")));
        });
        await server.StartAsync(CancellationToken.None);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Transport.DisposeAsync();
    }
}
