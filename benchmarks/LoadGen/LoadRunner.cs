using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeNode.Hub.Store;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;

namespace EdgeNode.LoadGen;

/// <summary>
/// N simulated agents, each with its own UDP socket (source addresses spread over 127.0.0.1…127.0.0.S), each
/// sending heartbeats closed-loop (next one when the ack arrives, or after <see cref="PauseMs"/>). Bounded in time.
/// </summary>
public sealed class LoadRunner
{
    public required IPEndPoint Hub { get; init; }
    public required bool Dtls { get; init; }
    public required int Agents { get; init; }
    public int FirstDevice { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public int PauseMs { get; init; }
    public int Sources { get; init; } = 8;
    public int HubPid { get; init; }
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    private long _ok;
    private long _errors;
    private long _timeouts;
    private volatile bool _measuring;

    public async Task<LoadResult> RunAsync()
    {
        var sw = Stopwatch.StartNew();
        var links = new IAgentSocket[Agents];
        if (Dtls)
        {
            using var gate = new SemaphoreSlim(16);
            await Task.WhenAll(Enumerable.Range(0, Agents).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    links[i] = await DtlsSocket.ConnectAsync(Hub, Source(i), LoadTestSeeder.IdOf(FirstDevice + i));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        else
        {
            for (var i = 0; i < Agents; i++)
            {
                links[i] = new UdpSocket(Hub, Source(i));
            }
        }

        var handshakeSeconds = Dtls ? sw.Elapsed.TotalSeconds : 0;
        using var stop = new CancellationTokenSource();
        var latencies = new List<int>[Agents];
        var tasks = Enumerable.Range(0, Agents).Select(i =>
        {
            latencies[i] = new List<int>(4096);
            return Task.Run(() => AgentLoopAsync(links[i], Dtls ? null : LoadTestSeeder.IdOf(FirstDevice + i), (uint)i, latencies[i], stop.Token));
        }).ToArray();

        await Task.Delay(Warmup);
        var cpuBefore = HubPid > 0 ? ProcStat.CpuSeconds(HubPid) : 0;
        var measured = Stopwatch.StartNew();
        _measuring = true;
        await Task.Delay(Duration);
        _measuring = false;
        var seconds = measured.Elapsed.TotalSeconds;
        var cpu = HubPid > 0 ? (ProcStat.CpuSeconds(HubPid) - cpuBefore) / seconds : 0;
        var rss = HubPid > 0 ? ProcStat.RssBytes(HubPid) : 0;
        var peak = HubPid > 0 ? ProcStat.PeakRssBytes(HubPid) : 0;
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        foreach (var link in links)
        {
            await link.DisposeAsync();
        }

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))] / 1000.0;
        return new LoadResult(Dtls ? "dtls" : "plain", Agents, seconds, _ok, _errors, _timeouts, Percentile(0.50), Percentile(0.99), rss, peak, cpu, handshakeSeconds);
    }

    private IPAddress Source(int i) => new([127, 0, 0, (byte)(1 + (i % Math.Max(1, Sources)))]);

    private async Task AgentLoopAsync(IAgentSocket socket, string? plainIdentity, uint seed, List<int> latencies, CancellationToken ct)
    {
        var heartbeat = new CoapHeartbeat(plainIdentity, seed);
        var send = new byte[heartbeat.Length];
        var receive = new byte[1500];
        var messageId = (ushort)(seed * 7919);
        var timeout = new CancellationTokenSource();
        while (!ct.IsCancellationRequested)
        {
            messageId++;
            heartbeat.Write(send, messageId);
            var start = Stopwatch.GetTimestamp();
            try
            {
                await socket.SendAsync(send, ct);
                timeout.CancelAfter(RequestTimeout);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
                while (true)
                {
                    var n = await socket.ReceiveAsync(receive, linked.Token);
                    if (CoapHeartbeat.TryMatch(receive.AsSpan(0, n), messageId, out var code))
                    {
                        if (_measuring)
                        {
                            if (code == 0x44)
                            {
                                Interlocked.Increment(ref _ok);
                                latencies.Add((int)(Stopwatch.GetElapsedTime(start).Ticks / 10));
                            }
                            else
                            {
                                Interlocked.Increment(ref _errors);
                            }
                        }

                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (OperationCanceledException)
            {
                if (_measuring)
                {
                    Interlocked.Increment(ref _timeouts);
                }
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                if (_measuring)
                {
                    Interlocked.Increment(ref _errors);
                }

                await Task.Delay(100, CancellationToken.None);
            }

            if (!timeout.TryReset())
            {
                // It fired (a timeout): a cancelled source cannot be reused.
                timeout.Dispose();
                timeout = new CancellationTokenSource();
            }

            if (PauseMs > 0)
            {
                try
                {
                    await Task.Delay(PauseMs, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        timeout.Dispose();
    }

    private interface IAgentSocket : IAsyncDisposable
    {
        ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken ct);

        ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct);
    }

    private sealed class UdpSocket : IAgentSocket
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        public UdpSocket(IPEndPoint hub, IPAddress source)
        {
            _socket.Bind(new IPEndPoint(source, 0));
            _socket.Connect(hub);
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken ct) => ValueTaskOf(_socket.SendAsync(datagram, SocketFlags.None, ct));

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) => _socket.ReceiveAsync(buffer, SocketFlags.None, ct);

        private static async ValueTask ValueTaskOf(ValueTask<int> sent) => await sent;

        public ValueTask DisposeAsync()
        {
            _socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class DtlsSocket(DtlsClientTransport transport) : IAgentSocket
    {
        private readonly PeerAddress _peer = new(transport.RemoteEndPoint);

        public static async Task<DtlsSocket> ConnectAsync(IPEndPoint hub, IPAddress source, string deviceId) =>
            new(await DtlsClientTransport.ConnectAsync(hub, deviceId, LoadTestSeeder.KeyOf(deviceId),
                new DtlsOptions { LocalEndPoint = new IPEndPoint(source, 0), HandshakeTimeout = TimeSpan.FromSeconds(20) }));

        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken ct) => transport.SendAsync(datagram, _peer, ct);

        public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) => (await transport.ReceiveAsync(buffer, ct)).Length;

        public ValueTask DisposeAsync() => transport.DisposeAsync();
    }
}
