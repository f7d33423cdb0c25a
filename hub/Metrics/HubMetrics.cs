namespace EdgeNode.Hub.Metrics;

/// <summary>Hub-side counters (lock-free), rendered by <see cref="PrometheusWriter"/>.</summary>
public sealed class HubMetrics
{
    private long _heartbeats;
    private long _eventsStored;
    private long _eventsDuplicate;
    private long _enrollRequests;
    private long _rejectedRequests;
    private long _malformedPayloads;
    private long _flushes;
    private long _flushedRows;
    private long _statusChanges;
    private long _commandsDelivered;

    public long Heartbeats => Interlocked.Read(ref _heartbeats);
    public long EventsStored => Interlocked.Read(ref _eventsStored);
    public long EventsDuplicate => Interlocked.Read(ref _eventsDuplicate);
    public long EnrollRequests => Interlocked.Read(ref _enrollRequests);
    public long RejectedRequests => Interlocked.Read(ref _rejectedRequests);
    public long MalformedPayloads => Interlocked.Read(ref _malformedPayloads);
    public long Flushes => Interlocked.Read(ref _flushes);
    public long FlushedRows => Interlocked.Read(ref _flushedRows);
    public long StatusChanges => Interlocked.Read(ref _statusChanges);
    public long CommandsDelivered => Interlocked.Read(ref _commandsDelivered);

    public void Heartbeat() => Interlocked.Increment(ref _heartbeats);
    public void EventsAdded(int stored, int duplicates)
    {
        Interlocked.Add(ref _eventsStored, stored);
        Interlocked.Add(ref _eventsDuplicate, duplicates);
    }

    public void EnrollRequest() => Interlocked.Increment(ref _enrollRequests);
    public void Rejected() => Interlocked.Increment(ref _rejectedRequests);
    public void Malformed() => Interlocked.Increment(ref _malformedPayloads);
    public void Flushed(int rows)
    {
        Interlocked.Increment(ref _flushes);
        Interlocked.Add(ref _flushedRows, rows);
    }

    public void StatusChanged() => Interlocked.Increment(ref _statusChanges);
    public void CommandDelivered() => Interlocked.Increment(ref _commandsDelivered);
}
