namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>Samples of the LED lines (green, red, amber) over a short window, summarized per LED.</summary>
public sealed class LedSnapshot(IReadOnlyList<bool[]> samples)
{
    public IReadOnlyList<bool[]> Samples { get; } = samples;

    /// <summary>"on", "off" or "blinking" for one LED over the window.</summary>
    public string State(int led)
    {
        if (Samples.Count == 0)
        {
            return "unknown";
        }

        var on = Samples.Count(s => s[led]);
        return on == Samples.Count ? "on" : on == 0 ? "off" : "blinking";
    }

    public override string ToString() =>
        string.Join(", ", GpioSim.LedNames.Select((n, i) => $"{n}={State(i)}")) + $" ({Samples.Count} samples)";
}
