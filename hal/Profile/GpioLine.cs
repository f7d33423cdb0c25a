using System.Text.Json.Serialization;

namespace EdgeNode.Hal.Profile;

/// <summary>One GPIO line (offset on the profile's chip) and its polarity.</summary>
public sealed record GpioLine
{
    /// <summary>The line offset on the chip. Required.</summary>
    [JsonPropertyName("line")]
    public int? Line { get; init; }

    /// <summary>True when the line is low while the LED is lit / the input is active.</summary>
    [JsonPropertyName("activeLow")]
    public bool ActiveLow { get; init; }
}
