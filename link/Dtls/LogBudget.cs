namespace EdgeNode.Link.Dtls;

/// <summary>
/// Lets at most <c>perWindow</c> log lines of one kind through per window, so that a peer spraying bad
/// handshakes cannot flood the log (the metrics still count every event). Reports how many were held back.
/// </summary>
internal sealed class LogBudget(TimeProvider time, int perWindow, TimeSpan window)
{
    private readonly object _gate = new();
    private long _windowStart = long.MinValue;
    private int _used;
    private int _suppressed;

    /// <summary>True when this line may be logged; <paramref name="suppressed"/> is how many were held back before it.</summary>
    public bool TryTake(out int suppressed)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_windowStart == long.MinValue || time.GetElapsedTime(_windowStart, now) >= window)
            {
                _windowStart = now;
                _used = 0;
            }
            if (_used < perWindow)
            {
                _used++;
                suppressed = _suppressed;
                _suppressed = 0;
                return true;
            }
            _suppressed++;
            suppressed = 0;
            return false;
        }
    }
}
