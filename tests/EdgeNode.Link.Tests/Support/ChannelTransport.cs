using System.Net;
using System.Threading.Channels;
using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Tests.Support;

/// <summary>
/// An in-memory <see cref="IDatagramTransport"/>: tests (or a <see cref="LossyNetwork"/>) inject datagrams, and
/// every datagram the endpoint sends is recorded in <see cref="Sent"/> and passed to <see cref="Route"/>.
/// Tracks whether the endpoint above has finished with everything injected (<see cref="IsIdle"/>).
/// </summary>
internal sealed class ChannelTransport : IDatagramTransport
{
    private readonly Channel<(byte[] Data, PeerAddress From)> inbox = Channel.CreateUnbounded<(byte[], PeerAddress)>();
    private int queued;
    private int processing;
    private long injected;

    public ChannelTransport(IPEndPoint local, int maxDatagramSize = 1152)
    {
        LocalEndPoint = local;
        MaxDatagramSize = maxDatagramSize;
    }

    public int MaxDatagramSize { get; }

    public IPEndPoint LocalEndPoint { get; }

    public PeerAddress Address => new(LocalEndPoint);

    public Channel<(byte[] Data, PeerAddress To)> Sent { get; } = Channel.CreateUnbounded<(byte[], PeerAddress)>();

    /// <summary>Where sent datagrams go besides <see cref="Sent"/> (a network); null = nowhere.</summary>
    public Action<byte[], PeerAddress>? Route { get; set; }

    /// <summary>Nothing queued and the receiver has come back for more since the last datagram.</summary>
    public bool IsIdle => Volatile.Read(ref queued) == 0 && Volatile.Read(ref processing) == 0;

    public int SentCount;

    /// <summary>Datagrams injected so far (for a consistent idle check).</summary>
    public long InjectedCount => Interlocked.Read(ref injected);

    /// <summary>Keep sent datagrams in <see cref="Sent"/> (switch off for millions of datagrams).</summary>
    public bool RecordSent { get; set; } = true;

    public void Inject(byte[] data, PeerAddress from)
    {
        Interlocked.Increment(ref queued);
        Interlocked.Increment(ref injected);
        inbox.Writer.TryWrite((data, from));
    }

    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        Volatile.Write(ref processing, 0);
        var (data, from) = await inbox.Reader.ReadAsync(cancellationToken);
        Volatile.Write(ref processing, 1);
        Interlocked.Decrement(ref queued);
        int length = Math.Min(data.Length, buffer.Length);
        data.AsSpan(0, length).CopyTo(buffer.Span);
        return new ReceivedDatagram(length, from);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, PeerAddress peer, CancellationToken cancellationToken)
    {
        var copy = datagram.ToArray();
        Interlocked.Increment(ref SentCount);
        if (RecordSent)
        {
            Sent.Writer.TryWrite((copy, peer));
        }

        Route?.Invoke(copy, Address);
        return ValueTask.CompletedTask;
    }

    /// <summary>The next datagram the endpoint sent, waiting up to a (generous, real-time) deadline.</summary>
    public async Task<(byte[] Data, PeerAddress To)> NextSentAsync(TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(10));
        try
        {
            return await Sent.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("the endpoint sent nothing within the deadline");
        }
    }

    public bool TryTakeSent(out (byte[] Data, PeerAddress To) sent) => Sent.Reader.TryRead(out sent);

    public ValueTask DisposeAsync()
    {
        inbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
