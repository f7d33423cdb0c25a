using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Coap.Endpoint;

/// <summary>
/// Remembers (peer, message id) of received CON and NON messages for EXCHANGE_LIFETIME / NON_LIFETIME (RFC 7252
/// §4.5), with the answer that was sent, so a duplicate gets the same answer again. Bounded: when full, expired
/// entries go first, then the oldest. Not thread-safe (the endpoint locks).
/// </summary>
internal sealed class DeduplicationCache
{
    private readonly Dictionary<(PeerAddress Peer, ushort MessageId), Entry> entries = [];
    private readonly Queue<(PeerAddress Peer, ushort MessageId, Entry Entry)> order = new();
    private readonly int capacity;

    public DeduplicationCache(int capacity) => this.capacity = capacity;

    public int Count => entries.Count;

    public bool TryGet(PeerAddress peer, ushort messageId, long now, out Entry entry)
    {
        if (entries.TryGetValue((peer, messageId), out entry!) && entry.ExpiresAt > now)
        {
            return true;
        }

        entry = null!;
        return false;
    }

    /// <summary>Adds a fresh entry; returns how many entries were evicted early to make room.</summary>
    public int Add(PeerAddress peer, ushort messageId, long expiresAt, long now, out Entry entry)
    {
        int evicted = 0;
        while (order.Count > 0)
        {
            var head = order.Peek();
            bool stale = !entries.TryGetValue((head.Peer, head.MessageId), out var current) || !ReferenceEquals(current, head.Entry);
            if (stale || head.Entry.ExpiresAt <= now)
            {
                order.Dequeue();
                if (!stale)
                {
                    entries.Remove((head.Peer, head.MessageId));
                }

                continue;
            }

            if (entries.Count < capacity)
            {
                break;
            }

            order.Dequeue();
            entries.Remove((head.Peer, head.MessageId));
            evicted++;
        }

        entry = new Entry { ExpiresAt = expiresAt };
        entries[(peer, messageId)] = entry;
        order.Enqueue((peer, messageId, entry));
        return evicted;
    }

    internal sealed class Entry
    {
        public long ExpiresAt { get; init; }

        /// <summary>The answer sent (piggybacked/NON response, RST, or the separate CON response); null while processing.</summary>
        public byte[]? Answer { get; set; }

        /// <summary>An empty ACK went out (separate response pending).</summary>
        public bool EmptyAckSent { get; set; }
    }
}
