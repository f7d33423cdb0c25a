using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeNode.Hal.Profile;

/// <summary>
/// Which hardware an IPC model has: the GPIO chip, LED lines, the optional power-fail input and the watchdog. One
/// agent binary serves several models; the image ships the model's profile, e.g.
/// <code>
/// {
///   "model": "qemu-ipc",
///   "description": "qemu test machine",  // optional, for people
///   "gpioChip": "gpiochip0",            // "gpiochipN", N, or the chip's label, e.g. "gpio-sim.0-node0"
///   "leds": {
///     "status-green": { "line": 0 },
///     "status-red":   { "line": 1 },
///     "status-amber": { "line": 2, "activeLow": false }   // optional LED
///   },
///   "powerFail": { "line": 4, "activeLow": true },        // optional: PSU power-good / UPS input
///   "watchdog": { "device": "/dev/watchdog", "timeoutSeconds": 60, "magicCloseOnStop": true }
/// }
/// </code>
/// Load with <see cref="Load"/>; every problem is a <see cref="HardwareProfileException"/> naming file, key and reason.
/// </summary>
public sealed record HardwareProfile
{
    /// <summary>The green status LED's key in <see cref="Leds"/>.</summary>
    public const string Green = "status-green";
    /// <summary>The red status LED's key in <see cref="Leds"/>.</summary>
    public const string Red = "status-red";
    /// <summary>The optional amber status LED's key in <see cref="Leds"/>.</summary>
    public const string Amber = "status-amber";

    /// <summary>The IPC model name, e.g. "qemu-ipc".</summary>
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    /// <summary>Free text for people reading the file (ignored by the agent).</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The GPIO chip: "gpiochipN", "N", or a chip label. Required when LEDs or a power-fail input exist.</summary>
    [JsonPropertyName("gpioChip")]
    public string? GpioChip { get; init; }

    /// <summary>The status LEDs by name: "status-green" and "status-red" are required, "status-amber" optional.</summary>
    [JsonPropertyName("leds")]
    public Dictionary<string, GpioLine>? Leds { get; init; }

    /// <summary>The optional power-fail input; "active" means power is failing.</summary>
    [JsonPropertyName("powerFail")]
    public GpioLine? PowerFail { get; init; }

    /// <summary>The hardware watchdog; absent means the model has none.</summary>
    [JsonPropertyName("watchdog")]
    public WatchdogProfile? Watchdog { get; init; }

    /// <summary>Reads and validates a profile file.</summary>
    /// <exception cref="HardwareProfileException">Missing file, bad JSON, unknown key or invalid value.</exception>
    public static HardwareProfile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HardwareProfileException(path, "", $"cannot read the file: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses and validates a profile; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="HardwareProfileException">Bad JSON, unknown key or invalid value.</exception>
    public static HardwareProfile Parse(ReadOnlySpan<byte> json, string source)
    {
        HardwareProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize(json, HardwareProfileJsonContext.Default.HardwareProfile);
        }
        catch (JsonException e)
        {
            string key = string.IsNullOrEmpty(e.Path) ? "" : e.Path;
            string where = e.LineNumber is long line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            throw new HardwareProfileException(source, key, FirstSentence(e.Message) + where, e);
        }
        if (profile is null) throw new HardwareProfileException(source, "$", "the profile is null; expected an object");
        HardwareProfileValidator.Validate(profile, source);
        return profile;
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
