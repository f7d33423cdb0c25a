using System.Net;
using System.Text;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Diagnostics;
using EdgeNode.Link.Contracts;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;
using Xunit.Abstractions;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>Our CoapClient on DtlsClientTransport against our CoapServer on DtlsServerTransport, in process.</summary>
public sealed class CoapOverDtlsTests(ITestOutputHelper output)
{
    private static readonly DtlsOptions ClientOptions = new() { HandshakeTimeout = TimeSpan.FromSeconds(20) };

    internal static byte[] Encode(Heartbeat heartbeat)
    {
        using var stream = new MemoryStream();
        LinkContracts.Instance.Serialize(stream, heartbeat);
        return stream.ToArray();
    }

    [Fact]
    public async Task CoapClient_OverDtls_GetsBlock2AndPostsBlock1WithIdentity()
    {
        await using var harness = await CoapsHarness.StartAsync();
        await using var transport = await DtlsClientTransport.ConnectAsync(harness.Transport.LocalEndPoint, CoapsHarness.Identity, CoapsHarness.Key, ClientOptions);
        await using var client = new CoapClient(transport, new PeerAddress(harness.Transport.LocalEndPoint));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var hello = await client.SendAsync(CoapMethod.Get, "hello", ct: cts.Token);
        Assert.Equal($"hello {CoapsHarness.Identity}", hello.PayloadText);

        var big = await client.SendAsync(CoapMethod.Get, "big", ct: cts.Token);
        Assert.Equal(CoapCode.Content, big.Code);
        Assert.Equal(CoapsHarness.Big, big.Payload.ToArray());

        var body = CoapsHarness.Big.AsSpan(1000, 4000).ToArray();
        var posted = await client.SendAsync(CoapMethod.Post, "upload", body, ct: cts.Token);
        Assert.Equal("got 4000", posted.PayloadText);
        Assert.Equal(body, harness.Uploaded);
        Assert.Equal(CoapsHarness.Identity, harness.UploadIdentity);
    }

    [Fact]
    public async Task CoapClient_AfterDropSessions_RequestFailsAndTransportReportsClosed()
    {
        var keys = new TestKeyStore().Add(CoapsHarness.Identity, CoapsHarness.Key);
        await using var harness = await CoapsHarness.StartAsync(keys: keys);
        await using var transport = await DtlsClientTransport.ConnectAsync(harness.Transport.LocalEndPoint, CoapsHarness.Identity, CoapsHarness.Key, ClientOptions);
        var fast = new CoapEndpointOptions { AckTimeout = TimeSpan.FromMilliseconds(200), MaxRetransmit = 1 };
        await using var client = new CoapClient(transport, new PeerAddress(harness.Transport.LocalEndPoint), fast);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal(CoapCode.Content, (await client.SendAsync(CoapMethod.Get, "hello", ct: cts.Token)).Code);

        keys.Remove(CoapsHarness.Identity);
        Assert.Equal(1, harness.Transport.DropSessions(CoapsHarness.Identity));
        Assert.True(await Eventually.TrueAsync(() => !transport.IsConnected));

        // The CoAP layer treats the transport's DtlsSessionClosedException on send as a lost datagram and times
        // out; its receive loop stopped cleanly (an ObjectDisposedException), so the only transport errors are the
        // two failed transmissions (initial + 1 retransmission), not a receive loop spinning on a dead session.
        await Assert.ThrowsAsync<CoapTimeoutException>(() => client.SendAsync(CoapMethod.Get, "hello", ct: cts.Token));
        Assert.Equal(2, client.Metrics[CoapCounter.TransportErrors]);
        await Assert.ThrowsAsync<DtlsSessionClosedException>(() =>
            transport.SendAsync(new byte[4], new PeerAddress(harness.Transport.LocalEndPoint), default).AsTask());
    }

    [Theory]
    [InlineData(DtlsCipherSuite.PskWithAes128Ccm8, 29)]
    [InlineData(DtlsCipherSuite.PskWithAes128GcmSha256, 37)]
    public async Task Heartbeat_OverCoaps_CostsExactlyTheRecordOverheadMoreThanPlainCoap(DtlsCipherSuite suite, int overhead)
    {
        Assert.Equal(overhead, DtlsWireSize.RecordOverhead(suite));
        var payload = Encode(CoapWireBudget.TypicalHeartbeat());

        // Plain CoAP through a relay: the size of the CoAP message itself.
        await using var plainServerTransport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        await using var plainServer = new CoapServer(plainServerTransport);
        plainServer.Map(CoapMethod.Post, "hb", (_, _) => ValueTask.FromResult(CoapResponse.Changed()));
        await plainServer.StartAsync(default);
        await using var plainRelay = new UdpRelay(plainServerTransport.LocalEndPoint);
        await using var plainClientTransport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        await using var plainClient = new CoapClient(plainClientTransport, new PeerAddress(plainRelay.EndPoint));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal(CoapCode.Changed, (await plainClient.SendAsync(CoapMethod.Post, "hb", payload, ct: cts.Token)).Code);
        var plainRequest = plainRelay.ToServer.Last().Length;

        // The same over coaps.
        var keys = new TestKeyStore().Add("dev-1", CoapsHarness.Key);
        await using var dtlsServerTransport = new DtlsServerTransport(new IPEndPoint(IPAddress.Loopback, 0), keys, ClientOptions with { CipherSuites = [suite] });
        await using var dtlsServer = new CoapServer(dtlsServerTransport);
        dtlsServer.Map(CoapMethod.Post, "hb", (_, _) => ValueTask.FromResult(CoapResponse.Changed()));
        await dtlsServer.StartAsync(default);
        await using var relay = new UdpRelay(dtlsServerTransport.LocalEndPoint);
        await using var dtlsTransport = await DtlsClientTransport.ConnectAsync(relay.EndPoint, "dev-1", CoapsHarness.Key, ClientOptions with { CipherSuites = [suite] });
        await using var dtlsClient = new CoapClient(dtlsTransport, new PeerAddress(relay.EndPoint));
        Assert.Equal(CoapCode.Changed, (await dtlsClient.SendAsync(CoapMethod.Post, "hb", payload, ct: cts.Token)).Code);
        var dtlsRequest = relay.ToServer.Last().Length;

        Assert.Equal(plainRequest + overhead, dtlsRequest);
        Assert.Equal(DtlsWireSize.DatagramBytes(plainRequest, suite), dtlsRequest);
        output.WriteLine($"heartbeat: protobuf {payload.Length} B, CoAP {plainRequest} B, {suite} record {dtlsRequest} B, " +
                         $"IPv4 packet {DtlsWireSize.IPv4PacketBytes(plainRequest, suite)} B");
    }

    [Fact]
    public void DtlsWireSize_Helpers_AddHeaderNonceAndTag()
    {
        Assert.Equal(13 + 8 + 8, DtlsWireSize.RecordOverhead(DtlsCipherSuite.PskWithAes128Ccm8));
        Assert.Equal(13 + 8 + 16, DtlsWireSize.RecordOverhead(DtlsCipherSuite.PskWithAes128GcmSha256));
        Assert.Equal(100 + 29, DtlsWireSize.DatagramBytes(100, DtlsCipherSuite.PskWithAes128Ccm8));
        Assert.Equal(100 + 29 + 28, DtlsWireSize.IPv4PacketBytes(100, DtlsCipherSuite.PskWithAes128Ccm8));
        Assert.Throws<ArgumentOutOfRangeException>(() => DtlsWireSize.DatagramBytes(-1, DtlsCipherSuite.PskWithAes128Ccm8));
    }
}
