using System.Net;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Link.Tests.Coap;

/// <summary>Our client against our server over an in-memory link: transparent Block1/Block2 (RFC 7959).</summary>
public sealed class BlockwiseClientServerTests : IAsyncLifetime
{
    private readonly ChannelTransport serverTransport = new(new IPEndPoint(IPAddress.Parse("10.2.0.1"), 5683));
    private readonly ChannelTransport clientTransport = new(new IPEndPoint(IPAddress.Parse("10.2.0.2"), 40000));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private readonly List<byte[]> uploads = [];
    private CoapServer server = null!;
    private CoapClient client = null!;
    private byte[] desired = [];
    private int desiredCalls;

    public async Task InitializeAsync()
    {
        _ = new LossyNetwork(clientTransport, serverTransport, seed: 1, loss: 0, duplicate: 0, reorder: 0);
        server = new CoapServer(serverTransport, new CoapEndpointOptions { MaxBodySize = 20_000 }, time, null, new Random(1));
        server.Map(CoapMethod.Get, "ds", (_, _) =>
        {
            int call = Interlocked.Increment(ref desiredCalls);
            return ValueTask.FromResult(CoapResponse.Content(desired) with { ETag = new byte[] { (byte)desired.Length, (byte)(desired.Length >> 8) } });
        });
        server.Map(CoapMethod.Post, "st", (request, _) =>
        {
            lock (uploads)
            {
                uploads.Add(request.Payload.ToArray());
            }

            return ValueTask.FromResult(CoapResponse.Changed());
        });
        await server.StartAsync(CancellationToken.None);
        client = new CoapClient(clientTransport, serverTransport.Address, null, time, null, new Random(2));
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1024, null)]
    [InlineData(1025, null)]
    [InlineData(10 * 1024, null)]
    [InlineData(10 * 1024, 64)]
    public async Task Client_GetLargeResource_ReassemblesBlock2(int length, int? blockSize)
    {
        desired = LibcoapBody(length);

        var response = await client.SendAsync(CoapMethod.Get, "ds", options: new CoapRequestOptions { BlockSize = blockSize });

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(desired, response.Payload.ToArray());
        Assert.Equal(new byte[] { (byte)length, (byte)(length >> 8) }, response.ETag.ToArray());
    }

    [Fact]
    public async Task Client_GetWithSmallBlockSize_NegotiatesItFromBlockZero()
    {
        desired = LibcoapBody(10 * 1024);
        int before = clientTransport.SentCount;

        var response = await client.SendAsync(CoapMethod.Get, "ds", options: new CoapRequestOptions { BlockSize = 256 });

        Assert.Equal(desired, response.Payload.ToArray());
        Assert.Equal(40, clientTransport.SentCount - before);
    }

    [Theory]
    [InlineData(1500, null)]
    [InlineData(10_000, null)]
    [InlineData(3000, 128)]
    public async Task Client_PostLargeBody_UploadsBlock1DeliveredOnce(int length, int? blockSize)
    {
        var body = LibcoapBody(length);

        var response = await client.SendAsync(CoapMethod.Post, "st", body, new CoapRequestOptions { BlockSize = blockSize });

        Assert.Equal(CoapCode.Changed, response.Code);
        lock (uploads)
        {
            Assert.Equal(body, Assert.Single(uploads));
        }
    }

    [Fact]
    public async Task Client_PostBeyondServerLimit_Gets413WithSize1()
    {
        var response = await client.SendAsync(CoapMethod.Post, "st", new byte[30_000]);

        Assert.Equal(CoapCode.RequestEntityTooLarge, response.Code);
        Assert.Equal(20_000u, response.Size1);
        Assert.Empty(uploads);
    }

    [Fact]
    public async Task Client_ConditionalGetWithCurrentETag_Gets203()
    {
        desired = LibcoapBody(5000);

        var response = await client.SendAsync(CoapMethod.Get, "ds", options: new CoapRequestOptions { ETags = [new byte[] { 0x88, 0x13 }] });

        Assert.Equal(CoapCode.Valid, response.Code);
        Assert.True(response.Payload.IsEmpty);
    }

    [Fact]
    public async Task Client_WellKnownCore_ListsResources()
    {
        var response = await client.SendAsync(CoapMethod.Get, "/.well-known/core");

        Assert.Equal("</ds>,</st>", response.PayloadText);
        Assert.Equal(CoapContentFormats.LinkFormat, response.ContentFormat);
    }

    private static byte[] LibcoapBody(int length) => Interop.LibcoapClientInteropTests.MakeBody(length);
}
