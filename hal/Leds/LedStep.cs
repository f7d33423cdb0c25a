namespace EdgeNode.Hal.Leds;

/// <summary>One step of a <see cref="LedPattern"/>: lit or dark for a duration.</summary>
public readonly record struct LedStep(bool Lit, TimeSpan Duration);
