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
        var agents = Enumerable.Range(0, Agents)
            .Select(i => new AgentState(links[i], new CoapHeartbeat(Dtls ? null : LoadTestSeeder.IdOf(FirstDevice + i), (uint)i), (ushort)(i * 7919)))
            .ToArray();
        var loops = agents.Select(a => Task.Run(() => AgentLoopAsync(a))).ToArray();
        var watchdog = Task.Run(() => WatchdogAsync(agents));

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
        _stopped = true;
        foreach (var link in links)
        {
            await link.DisposeAsync(); // ends the pending receives
        }

        await Task.WhenAll(loops);
        await watchdog;

        var all = agents.SelectMany(a => a.Latencies).ToArray();
        Array.Sort(all);
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))] / 1000.0;
        return new LoadResult(Dtls ? "dtls" : "plain", Agents, seconds, _ok, _errors, _timeouts, Percentile(0.50), Percentile(0.99), rss, peak, cpu, handshakeSeconds);
    }

    private volatile bool _stopped;

    private IPAddress Source(int i) => new([127, 0, 0, (byte)(1 + (i % Math.Max(1, Sources)))]);

    /// <summary>One agent, closed loop: send, await the matching ack, record, send the next. No per-request timers:
    /// the watchdog re-sends (with a new message id) when an ack is overdue.</summary>
    private async Task AgentLoopAsync(AgentState a)
    {
        var receive = new byte[1500];
        a.SendNext();
        while (!_stopped)
        {
            int n;
            try
            {
                n = await a.Socket.ReceiveAsync(receive, CancellationToken.None);
            }
            catch (Exception) when (_stopped)
            {
                break;
            }
            catch (Exception)
            {
                if (_measuring)
                {
                    Interlocked.Increment(ref _errors);
                }

                await Task.Delay(100);
                continue;
            }

            if (!CoapHeartbeat.TryMatch(receive.AsSpan(0, n), a.MessageId, out var code))
            {
                continue; // a late answer to a request the watchdog already gave up on
            }

            if (_measuring)
            {
                if (code == 0x44)
                {
                    Interlocked.Increment(ref _ok);
                    a.Latencies.Add((int)(Stopwatch.GetElapsedTime(a.SentAt).Ticks / 10));
                }
                else
                {
                    Interlocked.Increment(ref _errors);
                }
            }

            if (PauseMs > 0)
            {
                await Task.Delay(PauseMs);
            }

            if (!_stopped)
            {
                a.SendNext();
            }
        }
    }

    private async Task WatchdogAsync(AgentState[] agents)
    {
        var limit = (long)(RequestTimeout.TotalSeconds * Stopwatch.Frequency);
        while (!_stopped)
        {
            await Task.Delay(100);
            var now = Stopwatch.GetTimestamp();
            foreach (var a in agents)
            {
                if (!_stopped && now - Volatile.Read(ref a.SentAtField) > limit)
                {
                    if (_measuring)
                    {
                        Interlocked.Increment(ref _timeouts);
                    }

                    a.SendNext();
                }
            }
        }
    }

    private sealed class AgentState(IAgentSocket socket, CoapHeartbeat heartbeat, ushort firstMessageId)
    {
        private readonly byte[] _send = new byte[heartbeat.Length];
        private readonly object _gate = new();
        private int _messageId = firstMessageId;
        public long SentAtField;

        public IAgentSocket Socket { get; } = socket;

        public List<int> Latencies { get; } = new(4096);

        public ushort MessageId => (ushort)Volatile.Read(ref _messageId);

        public long SentAt => Volatile.Read(ref SentAtField);

        public void SendNext()
        {
            lock (_gate)
            {
                var mid = (ushort)(_messageId + 1);
                heartbeat.Write(_send, mid);
                Volatile.Write(ref _messageId, mid);
                Volatile.Write(ref SentAtField, Stopwatch.GetTimestamp());
                try
                {
                    Socket.Send(_send);
                }
                catch (Exception)
                {
                    // The watchdog tries again; a closed socket ends the run.
                }
            }
        }
    }

    private interface IAgentSocket : IAsyncDisposable
    {
        void Send(byte[] datagram);

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

        public void Send(byte[] datagram) => _socket.Send(datagram);

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) => _socket.ReceiveAsync(buffer, SocketFlags.None, ct);

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

        public void Send(byte[] datagram) => transport.SendAsync(datagram, _peer, CancellationToken.None).AsTask().GetAwaiter().GetResult();

        public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) => (await transport.ReceiveAsync(buffer, ct)).Length;

        public ValueTask DisposeAsync() => transport.DisposeAsync();
    }
}
