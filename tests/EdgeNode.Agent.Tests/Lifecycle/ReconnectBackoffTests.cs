using EdgeNode.Agent.Lifecycle;

namespace EdgeNode.Agent.Tests.Lifecycle;

public sealed class ReconnectBackoffTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 2.0)]
    [InlineData(5, 32.0)]
    [InlineData(9, 300.0)] // 512 capped
    [InlineData(80, 300.0)] // no overflow far out
    public void Ceiling_DoublesUpToTheCap(int attempt, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(300), new Random(1)).Ceiling(attempt));

    /// <summary>10,000 units after an outage, each at its 6th attempt (ceiling 64 s): their delays are spread uniformly
    /// over [0, 64 s) — no bunching at the ceiling or at zero.</summary>
    [Fact]
    public void Next_ManyUnitsSameAttempt_DelaysUniformOverZeroToCeiling()
    {
        var shared = new Random(20261123);
        var delays = new double[10_000];
        for (var unit = 0; unit < delays.Length; unit++)
        {
            var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(300), new Random(shared.Next()));
            for (var a = 0; a < 6; a++)
            {
                backoff.Next();
            }

            delays[unit] = backoff.Next().TotalSeconds;
        }

        Assert.All(delays, d => Assert.InRange(d, 0, 64));
        Assert.InRange(delays.Average(), 30.4, 33.6); // uniform mean 32 ± 5 %
        var perEighth = delays.GroupBy(d => (int)(d / 8)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, perEighth.Count);
        Assert.All(perEighth.Values, n => Assert.InRange(n, 1100, 1400)); // 1250 each ± 12 %
        var perSecond = delays.GroupBy(d => (int)d).Max(g => g.Count());
        Assert.True(perSecond < 250, $"the busiest second got {perSecond} of 10,000 reconnects (uniform: ~156)");
    }

    [Fact]
    public void Reset_StartsAgainFromTheFirstCeiling()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(300), new Random(3));
        for (var i = 0; i < 10; i++)
        {
            backoff.Next();
        }

        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0, 1);
        Assert.Equal(1, backoff.Attempt);
    }

    [Fact]
    public void Constructor_MaxBelowInitial_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), new Random(1)));
}
