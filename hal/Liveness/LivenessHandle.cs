namespace EdgeNode.Hal.Liveness;

/// <summary>A registered liveness check. Call <see cref="Tick"/> each time the loop makes progress; dispose it to
/// unregister (for a loop that ends on purpose).</summary>
public sealed class LivenessHandle : IDisposable
{
    private readonly LivenessRegistry _registry;
    private long _lastTick;

    internal LivenessHandle(LivenessRegistry registry, string name, TimeSpan deadline, long now)
    {
        _registry = registry;
        Name = name;
        Deadline = deadline;
        _lastTick = now;
    }

    /// <summary>The check's name, e.g. "link-loop".</summary>
    public string Name { get; }

    /// <summary>How long the check may stay silent before the watchdogs stop being fed.</summary>
    public TimeSpan Deadline { get; }

    internal long LastTickTimestamp => Interlocked.Read(ref _lastTick);

    internal bool StarvationReported { get; set; }

    /// <summary>Records progress now. Cheap and thread-safe.</summary>
    public void Tick() => Interlocked.Exchange(ref _lastTick, _registry.Time.GetTimestamp());

    /// <summary>Unregisters the check.</summary>
    public void Dispose() => _registry.Unregister(this);
}
