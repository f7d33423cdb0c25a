using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>
/// A loopback UDP relay that sits between a client and a server and records every datagram's size and direction,
/// the way a packet capture would. Clients send to <see cref="EndPoint"/>; the relay forwards to the target from one
/// socket per client, so the server sees distinct peers.
/// </summary>
public sealed class UdpRelay : IAsyncDisposable
{
    private readonly Socket _front;
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<IPEndPoint, Socket> _backs = new();
    private readonly ConcurrentQueue<CapturedDatagram> _captured = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _frontLoop;
    private readonly List<Task> _backLoops = [];

    public UdpRelay(IPEndPoint target)
    {
        _target = target;
        _front = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_front.LocalEndPoint!;
        _frontLoop = Task.Run(FrontLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    public IReadOnlyList<CapturedDatagram> Captured => _captured.ToArray();

    public void Clear() => _captured.Clear();

    private async Task FrontLoopAsync()
    {
        var buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await _front.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var client = (IPEndPoint)r.RemoteEndPoint;
            var back = _backs.GetOrAdd(client, c =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                lock (_backLoops)
                {
                    _backLoops.Add(Task.Run(() => BackLoopAsync(s, c)));
                }

                return s;
            });
            _captured.Enqueue(new CapturedDatagram(RelayDirection.ToServer, buffer.AsSpan(0, r.ReceivedBytes).ToArray()));
            await back.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, _target);
        }
    }

    private async Task BackLoopAsync(Socket back, IPEndPoint client)
    {
        var buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var r = await back.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                _captured.Enqueue(new CapturedDatagram(RelayDirection.ToClient, buffer.AsSpan(0, r.ReceivedBytes).ToArray()));
                await _front.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, client);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _front.Dispose();
        foreach (var s in _backs.Values)
        {
            s.Dispose();
        }

        Task[] loops;
        lock (_backLoops)
        {
            loops = [_frontLoop, .. _backLoops];
        }

        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
