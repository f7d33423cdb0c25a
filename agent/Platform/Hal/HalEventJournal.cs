using EdgeNode.Agent.Link;
using EdgeNode.Hal.Storage;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Platform.Hal;

/// <summary>
/// <see cref="IEventJournal"/> over the HAL <see cref="Journal"/>: each record is one event as protobuf (an
/// EventBatch of one, without its sequence: the journal's own sequence is the event's). Only durable records are
/// offered for sending, so the hub never acknowledges something a power cut could still take back.
/// </summary>
public sealed class HalEventJournal : IEventJournal, IDisposable
{
    /// <summary>Details longer than this are cut (one event must fit a datagram with room to spare).</summary>
    public const int MaxDetailChars = 400;

    private readonly Journal _journal;
    private readonly TimeProvider _time;

    public HalEventJournal(Journal journal, TimeProvider time)
    {
        _journal = journal;
        _time = time;
    }

    public event Action? Appended;

    public ulong LastSequence => _journal.DurableSequence;

    public ulong AckedThrough => _journal.AcknowledgedSequence;

    public Journal Journal => _journal;

    public ulong Append(EventKind kind, string app, string detail, bool critical = false)
    {
        if (detail.Length > MaxDetailChars)
        {
            detail = detail[..(MaxDetailChars - 1)] + "…";
        }

        var record = new EventBatch();
        record.Events.Add(new Event { Kind = kind, App = app, Detail = detail, TimeUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds() });
        var result = _journal.Append(Wire.Encode(record), critical);
        Appended?.Invoke();
        return result.Sequence;
    }

    public IReadOnlyList<Event> ReadUnacknowledged(int max)
    {
        if (_journal.LastSequence > _journal.DurableSequence)
        {
            _journal.Flush(); // about to send: make what we send durable first
        }

        var records = _journal.ReadPending(max);
        var events = new List<Event>(records.Count);
        foreach (var record in records)
        {
            Event e;
            try
            {
                var batch = Wire.Decode<EventBatch>(record.Payload, $"journal record {record.Sequence}");
                e = batch.Events.Count == 1 ? batch.Events[0] : new Event { Kind = EventKind.Custom, Detail = "unreadable journal record" };
            }
            catch (InvalidDataException ex)
            {
                e = new Event { Kind = EventKind.Custom, Detail = ex.Message };
            }

            e.Sequence = record.Sequence;
            events.Add(e);
        }

        return events;
    }

    public void Acknowledge(ulong ackedThrough) => _journal.Acknowledge(Math.Min(ackedThrough, _journal.DurableSequence));

    public void Dispose() => _journal.Dispose();
}
