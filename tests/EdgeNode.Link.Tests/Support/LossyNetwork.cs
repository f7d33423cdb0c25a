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

    /// <summary>Waits until both endpoints are parked and the network is idle (see <see cref="Quiescence"/>).</summary>
    public Task WaitQuiescentAsync(Func<bool> endpointsParked) => Quiescence.WaitAsync(endpointsParked, a, b);

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
