using System.Net;
using System.Text;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Tests.Interop;

/// <summary>Our <see cref="CoapClient"/> against libcoap's coap-server (plain coap://).</summary>
[Trait("Category", "Interop")]
public sealed class LibcoapServerInteropTests
{
    private static readonly CoapEndpointOptions Fast = new() { AckTimeout = TimeSpan.FromMilliseconds(500), MaxRetransmit = 4 };

    [Theory]
    [InlineData("openssl")]
    [InlineData("gnutls")]
    public async Task CoapClient_GetRootAndTime_FromLibcoapServer(string flavour)
    {
        await using var server = LibcoapServer.Start(flavour);
        await using var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = new CoapClient(transport, new PeerAddress(server.EndPoint), Fast);

        var root = await GetWhenUpAsync(client, "", server);
        var time = await client.SendAsync(CoapMethod.Get, "time");

        Assert.Equal(CoapCode.Content, root.Code);
        Assert.Contains("libcoap", root.PayloadText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(CoapCode.Content, time.Code);
        Assert.False(time.Payload.IsEmpty, "/time should carry the server's clock");
    }

    [Fact]
    public async Task CoapClient_WellKnownCore_ListsLibcoapResources()
    {
        await using var server = LibcoapServer.Start("openssl");
        await using var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = new CoapClient(transport, new PeerAddress(server.EndPoint), Fast);
        await GetWhenUpAsync(client, "", server);

        var core = await client.SendAsync(CoapMethod.Get, ".well-known/core");

        Assert.Equal(CoapCode.Content, core.Code);
        Assert.Equal(CoapContentFormats.LinkFormat, core.ContentFormat);
        Assert.Contains("</time>", core.PayloadText);
    }

    [Theory]
    [InlineData(100, null)]
    [InlineData(5000, 1024)]
    [InlineData(3000, 256)]
    public async Task CoapClient_PutThenGet_RoundTripsBodyThroughLibcoap(int length, int? blockSize)
    {
        await using var server = LibcoapServer.Start("openssl", "-d", "10");
        await using var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = new CoapClient(transport, new PeerAddress(server.EndPoint), Fast);
        await GetWhenUpAsync(client, "", server);
        var body = LibcoapClientInteropTests.MakeBody(length);
        var options = new CoapRequestOptions { BlockSize = blockSize, ContentFormat = CoapContentFormats.OctetStream };

        var put = await client.SendAsync(CoapMethod.Put, "edgenode/blob", body, options);
        var get = await client.SendAsync(CoapMethod.Get, "edgenode/blob", options: new CoapRequestOptions { BlockSize = blockSize });

        Assert.True(put.Code == CoapCode.Created || put.Code == CoapCode.Changed, $"PUT answered {put.Code}: {put.PayloadText}\n{server.Output}");
        Assert.Equal(CoapCode.Content, get.Code);
        Assert.Equal(body, get.Payload.ToArray());
    }

    [Fact]
    public async Task CoapClient_ServerGone_TimesOutNamingResource()
    {
        int port = LibcoapTool.FreeUdpPort();
        await using var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new CoapEndpointOptions { AckTimeout = TimeSpan.FromMilliseconds(50), MaxRetransmit = 2 };
        await using var client = new CoapClient(transport, new PeerAddress(new IPEndPoint(IPAddress.Loopback, port)), options);

        var ex = await Assert.ThrowsAsync<CoapTimeoutException>(() => client.SendAsync(CoapMethod.Get, "time"));

        Assert.Contains($"GET coap://127.0.0.1:{port}/time", ex.Message);
        Assert.Equal(3, ex.Transmissions);
    }

    /// <summary>Polls (deadline 20 s) until the freshly started server answers.</summary>
    private static async Task<CoapResponse> GetWhenUpAsync(CoapClient client, string path, LibcoapServer server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                return await client.SendAsync(CoapMethod.Get, path);
            }
            catch (CoapTimeoutException) when (DateTime.UtcNow < deadline && !server.HasExited)
            {
            }
            catch (CoapTimeoutException ex)
            {
                throw new InvalidOperationException($"libcoap server did not answer: {Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(server.Output))}", ex);
            }
        }
    }
}
