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

    /// <summary>Disarm with the magic close on a clean stop (default true).</summary>
    [JsonPropertyName("magicCloseOnStop")]
    public bool MagicCloseOnStop { get; set; } = true;
}
