using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>
/// A loopback UDP relay between one client and a server: records datagram sizes in both directions, can drop
/// datagrams toward the client, and can inject datagrams toward the server that appear to come from the
/// client's session endpoint (the relay's server-side socket).
/// </summary>
internal sealed class UdpRelay : IAsyncDisposable
{
    private readonly Socket _clientSide = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _serverSide = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _up;
    private readonly Task _down;
    private volatile IPEndPoint? _client;

    public UdpRelay(IPEndPoint server)
    {
        _server = server;
        _clientSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _serverSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _up = Task.Run(UpAsync);
        _down = Task.Run(DownAsync);
    }

    /// <summary>Where the client should connect.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_clientSide.LocalEndPoint!;

    /// <summary>The endpoint the server sees for this client.</summary>
    public IPEndPoint ServerFacingEndPoint => (IPEndPoint)_serverSide.LocalEndPoint!;

    public ConcurrentQueue<byte[]> ToServer { get; } = new();

    public ConcurrentQueue<byte[]> ToClient { get; } = new();

    public volatile bool DropToClient;

    /// <summary>Drops the server→client datagrams whose 1-based index it returns true for (loss injection).</summary>
    public Func<int, bool>? DropToClientAt { get; set; }

    private int _toClientCount;

    public void InjectToServer(byte[] datagram) => _serverSide.SendTo(datagram, _server);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _clientSide.Dispose();
        _serverSide.Dispose();
        try
        {
            await Task.WhenAll(_up, _down);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        _stop.Dispose();
    }

    private async Task UpAsync()
    {
        var buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            var r = await _clientSide.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            _client = (IPEndPoint)r.RemoteEndPoint;
            var datagram = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
            ToServer.Enqueue(datagram);
            await _serverSide.SendToAsync(datagram, SocketFlags.None, _server, _stop.Token);
        }
    }

    private async Task DownAsync()
    {
        var buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            var r = await _serverSide.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            var datagram = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
            ToClient.Enqueue(datagram);
            var index = Interlocked.Increment(ref _toClientCount);
            if (DropToClientAt?.Invoke(index) == true)
                continue;
            if (!DropToClient && _client is { } client)
                await _clientSide.SendToAsync(datagram, SocketFlags.None, client, _stop.Token);
        }
    }
}
