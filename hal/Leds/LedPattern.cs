namespace EdgeNode.Hal.Leds;

/// <summary>
/// A repeating on/off sequence for one LED. A pattern with a single step is steady (<see cref="Solid"/>,
/// <see cref="Off"/>). Patterns start with their first step at the moment they are applied.
/// </summary>
public sealed class LedPattern : IEquatable<LedPattern>
{
    /// <summary>Slow blink: 1 s lit, 1 s dark.</summary>
    public static readonly TimeSpan SlowHalfPeriod = TimeSpan.FromMilliseconds(1000);
    /// <summary>Fast blink: 125 ms lit, 125 ms dark (4 Hz).</summary>
    public static readonly TimeSpan FastHalfPeriod = TimeSpan.FromMilliseconds(125);
    /// <summary>Blink codes: each flash is 250 ms lit then 250 ms dark...</summary>
    public static readonly TimeSpan CodeFlash = TimeSpan.FromMilliseconds(250);
    /// <summary>...and the code repeats after a 1.5 s dark pause (added to the last gap).</summary>
    public static readonly TimeSpan CodePause = TimeSpan.FromMilliseconds(1500);

    private readonly LedStep[] _steps;

    /// <summary>A pattern from explicit steps (each duration must be positive).</summary>
    public LedPattern(string name, params LedStep[] steps)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (steps.Length == 0) throw new ArgumentException($"LED pattern '{name}' has no steps", nameof(steps));
        foreach (var s in steps)
            if (s.Duration <= TimeSpan.Zero)
                throw new ArgumentException($"LED pattern '{name}' has a step of {s.Duration}; durations must be positive", nameof(steps));
        Name = name;
        _steps = steps;
        Period = TimeSpan.Zero;
        foreach (var s in steps) Period += s.Duration;
    }

    /// <summary>Always dark.</summary>
    public static LedPattern Off { get; } = new("off", new LedStep(false, TimeSpan.MaxValue / 4));

    /// <summary>Always lit.</summary>
    public static LedPattern Solid { get; } = new("solid", new LedStep(true, TimeSpan.MaxValue / 4));

    /// <summary>1 s lit, 1 s dark.</summary>
    public static LedPattern SlowBlink { get; } = new("slow-blink", new LedStep(true, SlowHalfPeriod), new LedStep(false, SlowHalfPeriod));

    /// <summary>125 ms lit, 125 ms dark.</summary>
    public static LedPattern FastBlink { get; } = new("fast-blink", new LedStep(true, FastHalfPeriod), new LedStep(false, FastHalfPeriod));

    /// <summary>Fast blink in opposite phase (dark first); paired with <see cref="FastBlink"/> for Identify.</summary>
    public static LedPattern FastBlinkInverted { get; } = new("fast-blink-inverted", new LedStep(false, FastHalfPeriod), new LedStep(true, FastHalfPeriod));

    /// <summary>A blink code: <paramref name="flashes"/> flashes (250 ms lit, 250 ms dark), then a 1.5 s pause.</summary>
    public static LedPattern BlinkCode(int flashes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flashes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(flashes, 9);
        var steps = new LedStep[flashes * 2];
        for (int i = 0; i < flashes; i++)
        {
            steps[2 * i] = new LedStep(true, CodeFlash);
            steps[2 * i + 1] = new LedStep(false, i == flashes - 1 ? CodeFlash + CodePause : CodeFlash);
        }
        return new LedPattern($"{flashes}-flash-code", steps);
    }

    /// <summary>A short name for logs and the simulator's printout, e.g. "slow-blink", "2-flash-code".</summary>
    public string Name { get; }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<LedStep> Steps => _steps;

    /// <summary>One full cycle.</summary>
    public TimeSpan Period { get; }

    /// <summary>True for single-step patterns.</summary>
    public bool IsSteady => _steps.Length == 1;

    /// <summary>Whether the LED is lit <paramref name="elapsed"/> after the pattern started, and how long until the
    /// next change (<see cref="TimeSpan.MaxValue"/> for steady patterns).</summary>
    public bool Evaluate(TimeSpan elapsed, out TimeSpan untilChange)
    {
        if (IsSteady)
        {
            untilChange = TimeSpan.MaxValue;
            return _steps[0].Lit;
        }
        long t = elapsed.Ticks % Period.Ticks;
        foreach (var s in _steps)
        {
            if (t < s.Duration.Ticks)
            {
                untilChange = TimeSpan.FromTicks(s.Duration.Ticks - t);
                return s.Lit;
            }
            t -= s.Duration.Ticks;
        }
        untilChange = _steps[0].Duration; // unreachable: t < Period
        return _steps[0].Lit;
    }

    /// <inheritdoc/>
    public bool Equals(LedPattern? other) => other is not null && Name == other.Name && _steps.AsSpan().SequenceEqual(other._steps);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LedPattern);

    /// <inheritdoc/>
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
