namespace EdgeNode.Link.Tests.Support;

/// <summary>
/// Connects two <see cref="ChannelTransport"/>s and drops, duplicates and reorders datagrams between them,
/// driven by a seeded <see cref="Random"/> so that a failing run can be replayed.
/// </summary>
internal sealed class LossyNetwork
{
    private readonly object sync = new();
    private readonly Random random;
    private readonly ChannelTransport a;
    private readonly ChannelTransport b;
    private (byte[] Data, Transport.PeerAddress From, ChannelTransport To)? held;

    public LossyNetwork(ChannelTransport a, ChannelTransport b, int seed, double loss, double duplicate, double reorder)
    {
        this.a = a;
        this.b = b;
        random = new Random(seed);
        Loss = loss;
        Duplicate = duplicate;
        Reorder = reorder;
        a.Route = (data, from) => Carry(data, from, b);
        b.Route = (data, from) => Carry(data, from, a);
    }

    public double Loss { get; }

    public double Duplicate { get; }

    public double Reorder { get; }

    public int Dropped { get; private set; }

    public int Duplicated { get; private set; }

    public int Reordered { get; private set; }

    public bool IsIdle => a.IsIdle && b.IsIdle;

    /// <summary>Polls (real time, with a deadline) until both endpoints processed everything delivered to them.</summary>
    public async Task WaitIdleAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        int stable = 0;
        while (stable < 3)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the in-memory network did not settle");
            }

            stable = IsIdle ? stable + 1 : 0;
            await Task.Yield();
            if (stable == 0)
            {
                await Task.Delay(1);
            }
        }
    }

    /// <summary>
    /// Polls (real time, deadline 30 s) until nothing can happen any more without the clock moving: no datagram
    /// queued or being processed, and <paramref name="endpointsParked"/> (every endpoint parked on the network or an
    /// armed timer, see <c>CoapEndpoint.IsQuiescent</c>) holds before and after, with no datagram sent in between.
    /// Only then may a test advance its fake clock: a continuation still queued on the thread pool would otherwise
    /// run after the clock moved (its timer relative to a later "now"), or the test would take clock steps in a burst
    /// while the endpoint has not even resumed.
    /// </summary>
    public async Task WaitQuiescentAsync(Func<bool> endpointsParked)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            long before = Activity;
            if (endpointsParked() && IsIdle && endpointsParked() && Activity == before)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the endpoints did not become quiescent within 30 s (network idle: {IsIdle}, endpoints parked: {endpointsParked()})");
            }

            await Task.Delay(1);
        }
    }

    private long Activity => (long)Volatile.Read(ref a.SentCount) + Volatile.Read(ref b.SentCount) + a.InjectedCount + b.InjectedCount;

    /// <summary>Delivers a datagram held back for reordering (so nothing stays held forever).</summary>
    public void Flush()
    {
        (byte[] Data, Transport.PeerAddress From, ChannelTransport To)? release;
        lock (sync)
        {
            release = held;
            held = null;
        }

        if (release is { } r)
        {
            r.To.Inject(r.Data, r.From);
        }
    }

    private void Carry(byte[] data, Transport.PeerAddress from, ChannelTransport to)
    {
        var deliveries = new List<(byte[], Transport.PeerAddress, ChannelTransport)>();
        lock (sync)
        {
            double roll = random.NextDouble();
            if (roll < Loss)
            {
                Dropped++;
                return;
            }

            if (held is null && random.NextDouble() < Reorder)
            {
                Reordered++;
                held = (data, from, to);
                return;
            }

            deliveries.Add((data, from, to));
            if (random.NextDouble() < Duplicate)
            {
                Duplicated++;
                deliveries.Add((data, from, to));
            }

            if (held is { } h)
            {
                deliveries.Add(h);
                held = null;
            }
        }

        foreach (var (d, f, t) in deliveries)
        {
            t.Inject(d, f);
        }
    }
}
