using System.Text.Json.Serialization;

namespace EdgeNode.Hal.Profile;

/// <summary>The model's hardware watchdog. (Settable properties: the source-generated deserializer would reset
/// init-only properties with defaults to default(T) when a key is absent.)</summary>
public sealed record WatchdogProfile
{
    /// <summary>The device path; default "/dev/watchdog".</summary>
    [JsonPropertyName("device")]
    public string Device { get; set; } = "/dev/watchdog";

    /// <summary>The timeout to program, 1..3600 s; null keeps the driver's.</summary>
    [JsonPropertyName("timeoutSeconds")]
    public int? TimeoutSeconds { get; set; } = 60;

    /// <summary>How long the agent waits at start for <see cref="Device"/> to appear, 0..300 s (default 30). The
    /// watchdog driver is often a module that udev loads while the agent starts; without the device the agent runs
    /// unguarded and cannot see that the last boot was a watchdog reset.</summary>
    [JsonPropertyName("appearTimeoutSeconds")]
    public int AppearTimeoutSeconds { get; set; } = 30;

    /// <summary>Disarm with the magic close on a clean stop (default true).</summary>
    [JsonPropertyName("magicCloseOnStop")]
    public bool MagicCloseOnStop { get; set; } = true;
}
