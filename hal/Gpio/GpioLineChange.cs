using System.Device.Gpio;

namespace EdgeNode.Hal.Gpio;

/// <summary>One entry of <see cref="SimulatedGpioDriver.Timeline"/>: a line changed level at a time.</summary>
/// <param name="At">When (from the driver's <see cref="TimeProvider"/>).</param>
/// <param name="Line">The line offset.</param>
/// <param name="Value">The new level.</param>
public readonly record struct GpioLineChange(DateTimeOffset At, int Line, PinValue Value);
