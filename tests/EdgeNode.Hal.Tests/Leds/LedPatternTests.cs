using EdgeNode.Hal.Leds;

namespace EdgeNode.Hal.Tests.Leds;

public sealed class LedPatternTests
{
    [Theory]
    [InlineData(0, true, 250)]
    [InlineData(249, true, 1)]
    [InlineData(250, false, 250)]
    [InlineData(500, true, 250)]
    [InlineData(750, false, 1750)]
    [InlineData(2499, false, 1)]
    [InlineData(2500, true, 250)]
    public void BlinkCode2_Evaluate_PhaseAndTimeToNextChange(int ms, bool lit, int untilMs)
    {
        var p = LedPattern.BlinkCode(2);
        Assert.Equal(lit, p.Evaluate(TimeSpan.FromMilliseconds(ms), out var until));
        Assert.Equal(TimeSpan.FromMilliseconds(untilMs), until);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), p.Period);
    }

    [Fact]
    public void Steady_NeverChanges()
    {
        Assert.True(LedPattern.Solid.Evaluate(TimeSpan.FromDays(400), out var until));
        Assert.Equal(TimeSpan.MaxValue, until);
        Assert.False(LedPattern.Off.Evaluate(TimeSpan.Zero, out _));
    }

    [Fact]
    public void Constructor_ZeroDuration_Throws()
    {
        Assert.Throws<ArgumentException>(() => new LedPattern("bad", new LedStep(true, TimeSpan.Zero)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LedPattern.BlinkCode(0));
    }
}
