using System.Net;
using System.Net.Sockets;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Tests.Coap;

public sealed class UdpTransportTests
{
    [Fact]
    public async Task UdpTransport_BindPortZero_ReportsChosenPortAndCarriesDatagrams()
    {
        await using var a = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await a.SendAsync(new byte[] { 1, 2, 3 }, new PeerAddress(b.LocalEndPoint), deadline.Token);
        var buffer = new byte[16];
        var received = await b.ReceiveAsync(buffer, deadline.Token);

        Assert.NotEqual(0, a.LocalEndPoint.Port);
        Assert.Equal(3, received.Length);
        Assert.Equal([1, 2, 3], buffer[..3]);
        Assert.Equal(a.LocalEndPoint, received.Peer.EndPoint);
        Assert.Null(received.Peer.Identity);
        Assert.Equal(UdpTransport.DefaultMaxDatagramSize, a.MaxDatagramSize);
    }

    [Fact]
    public async Task UdpTransport_DualModeIPv6Any_ReportsIPv4Senders()
    {
        await using var server = new UdpTransport(new IPEndPoint(IPAddress.IPv6Any, 0));
        await using var client = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await client.SendAsync(new byte[] { 9 }, new PeerAddress(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port)), deadline.Token);
        var received = await server.ReceiveAsync(new byte[8], deadline.Token);
        await server.SendAsync(new byte[] { 8 }, received.Peer, deadline.Token);
        var back = await client.ReceiveAsync(new byte[8], deadline.Token);

        Assert.Equal(AddressFamily.InterNetwork, received.Peer.EndPoint.AddressFamily);
        Assert.Equal(client.LocalEndPoint, received.Peer.EndPoint);
        Assert.Equal(1, back.Length);
    }

    [Fact]
    public async Task UdpTransport_PortInUse_ThrowsNamingEndPoint()
    {
        await using var first = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));

        var ex = Assert.Throws<IOException>(() => new UdpTransport(first.LocalEndPoint));

        Assert.Contains(first.LocalEndPoint.ToString(), ex.Message);
    }

    [Fact]
    public async Task UdpTransport_Disposed_ReceiveThrowsObjectDisposed()
    {
        var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        await transport.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await transport.ReceiveAsync(new byte[8], CancellationToken.None));
    }

    [Fact]
    public async Task CoapServer_Dispose_StopsReceiveLoopPromptly()
    {
        await using var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new CoapServer(transport);
        await server.StartAsync(CancellationToken.None);

        var dispose = server.DisposeAsync().AsTask();

        Assert.Same(dispose, await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(10))));
    }
}
