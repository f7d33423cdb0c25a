namespace EdgeNode.Hal.Watchdog;

/// <summary>
/// Waits for a watchdog device node to appear. On most IPCs the watchdog driver is a module (iTCO_wdt, sp5100_tco,
/// i6300esb) that udev loads while the system boots, at the same time as the early services. An agent that starts
/// before the driver has probed finds no device: it would run unguarded by the hardware for the whole boot, and it
/// would report a hardware watchdog reset (WDIOF_CARDRESET) as a power loss.
/// </summary>
public static class WatchdogDeviceWait
{
    /// <summary>How often the path is checked while waiting.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Returns at once when <paramref name="path"/> exists; otherwise checks every <see cref="PollInterval"/> until it
    /// does (true) or <paramref name="timeout"/> has passed on <paramref name="time"/> (false).
    /// </summary>
    public static async Task<bool> WaitAsync(string path, TimeSpan timeout, TimeProvider time,
        Func<string, bool>? exists = null, CancellationToken cancellationToken = default)
    {
        exists ??= File.Exists;
        if (exists(path))
            return true;
        var start = time.GetTimestamp();
        using var poll = new PeriodicTimer(PollInterval, time);
        while (await poll.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            if (exists(path))
                return true;
            if (time.GetElapsedTime(start) >= timeout)
                return false;
        }
        return true;
    }
}
