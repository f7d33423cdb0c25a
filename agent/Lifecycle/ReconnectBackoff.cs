namespace EdgeNode.Agent.Lifecycle;

/// <summary>
/// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
/// attempt n waits a uniformly random time in [0, min(cap, initial·2ⁿ)). Ten thousand units coming back
/// after an outage spread their reconnects over the whole window instead of arriving together.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private int _attempt;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), $"backoff needs 0 < initial ({initial}) <= max ({max})");
        }

        _initial = initial;
        _max = max;
        _random = random;
    }

    public int Attempt => _attempt;

    /// <summary>The upper bound for attempt <paramref name="attempt"/> (0-based): min(max, initial·2^attempt).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt, 62));
        var ticks = _initial.Ticks * factor;
        return ticks >= _max.Ticks ? _max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The next delay, and counts the attempt.</summary>
    public TimeSpan Next()
    {
        var ceiling = Ceiling(_attempt);
        if (_attempt < 62)
        {
            _attempt++;
        }

        return TimeSpan.FromTicks((long)(_random.NextDouble() * ceiling.Ticks));
    }

    public void Reset() => _attempt = 0;
}
