using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Link.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers created on it, so a test can wait until the code under
/// test has armed its retransmission timer before it advances the clock (otherwise the timer would start late).
/// </summary>
internal sealed class CountingTimeProvider : FakeTimeProvider
{
    private int created;

    public CountingTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    public int TimersCreated => Volatile.Read(ref created);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref created);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Polls (real time, deadline 10 s) until at least <paramref name="count"/> timers exist.</summary>
    public async Task WaitForTimersAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (TimersCreated < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"expected {count} timers, only {TimersCreated} were created");
            }

            await Task.Delay(1);
        }
    }
}
