namespace EdgeNode.Hal.Watchdog;

/// <summary>Settings for the hardware watchdog.</summary>
public sealed record WatchdogOptions
{
    /// <summary>The device; default "/dev/watchdog".</summary>
    public string Device { get; init; } = "/dev/watchdog";

    /// <summary>The timeout to program (WDIOC_SETTIMEOUT); null keeps the driver's. Choose it longer than systemd's
    /// WatchdogSec plus one service restart, so that systemd gets the first go at a hung agent.</summary>
    public int? TimeoutSeconds { get; init; } = 60;

    /// <summary>How often to feed; null means a quarter of the timeout.</summary>
    public TimeSpan? KeepaliveInterval { get; init; }

    /// <summary>On a clean stop, write 'V' before closing so the watchdog is disarmed. Set false to keep it armed
    /// across a stop (the next owner must open it within the timeout).</summary>
    public bool MagicCloseOnStop { get; init; } = true;
}
