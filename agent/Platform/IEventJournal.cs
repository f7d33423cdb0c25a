using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Platform;

/// <summary>
/// The store-and-forward event journal: append-only, sequence-numbered, with a persisted "acknowledged by the hub"
/// cursor. Implemented over the HAL journal; an in-memory version serves unit tests.
/// </summary>
public interface IEventJournal
{
    /// <summary>Appends an event and returns its sequence (strictly increasing, never reused).
    /// Critical events are durable when this returns; others within the group-commit interval.</summary>
    ulong Append(EventKind kind, string app, string detail, bool critical = false);

    /// <summary>Highest sequence appended so far (0 when empty).</summary>
    ulong LastSequence { get; }

    /// <summary>Highest sequence the hub acknowledged (persisted).</summary>
    ulong AckedThrough { get; }

    /// <summary>Up to <paramref name="max"/> events after <see cref="AckedThrough"/>, in order.</summary>
    IReadOnlyList<Event> ReadUnacknowledged(int max);

    /// <summary>Advances (never moves back) the persisted cursor.</summary>
    void Acknowledge(ulong ackedThrough);

    /// <summary>Raised after every append (the link loop wakes up to send).</summary>
    event Action? Appended;
}
