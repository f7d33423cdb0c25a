using EdgeNode.Agent.Platform;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Tests.Fakes;

/// <summary>Unit-test journal: events in a list, a cursor; survives "reboots" by being reused.</summary>
internal sealed class InMemoryJournal(TimeProvider time) : IEventJournal
{
    private readonly List<Event> _events = [];
    private readonly Lock _lock = new();
    private ulong _acked;

    public event Action? Appended;

    public ulong LastSequence { get { lock (_lock) { return _events.Count == 0 ? 0 : _events[^1].Sequence; } } }

    public ulong AckedThrough { get { lock (_lock) { return _acked; } } }

    public IReadOnlyList<Event> All { get { lock (_lock) { return _events.ToArray(); } } }

    public ulong Append(EventKind kind, string app, string detail, bool critical = false)
    {
        ulong sequence;
        lock (_lock)
        {
            sequence = (_events.Count == 0 ? 0 : _events[^1].Sequence) + 1;
            _events.Add(new Event { Sequence = sequence, Kind = kind, App = app, Detail = detail, TimeUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
        }

        Appended?.Invoke();
        return sequence;
    }

    public IReadOnlyList<Event> ReadUnacknowledged(int max)
    {
        lock (_lock)
        {
            return _events.Where(e => e.Sequence > _acked).Take(max).ToArray();
        }
    }

    public void Acknowledge(ulong ackedThrough)
    {
        lock (_lock)
        {
            _acked = Math.Max(_acked, ackedThrough);
        }
    }
}
