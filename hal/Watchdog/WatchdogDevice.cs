namespace EdgeNode.Hal.Watchdog;

/// <summary>
/// The small driver under <see cref="HardwareWatchdog"/> (the shape of dotnet/iot's GpioDriver): a handful of
/// primitives, no state checks. <see cref="LinuxWatchdogDevice"/> talks to /dev/watchdog; tests subclass it.
/// </summary>
public abstract class WatchdogDevice : IDisposable
{
    /// <summary>The device, e.g. "/dev/watchdog"; used in every error message.</summary>
    public abstract string Path { get; }

    /// <summary>Opens the device. From here on the watchdog is armed: it resets the machine unless fed.</summary>
    protected internal abstract void Open();

    /// <summary>WDIOC_GETSUPPORT.</summary>
    protected internal abstract WatchdogInfo GetSupport();

    /// <summary>WDIOC_GETBOOTSTATUS.</summary>
    protected internal abstract WatchdogFlags GetBootStatus();

    /// <summary>WDIOC_SETTIMEOUT; returns the timeout the driver actually chose (it may round).</summary>
    protected internal abstract int SetTimeout(int seconds);

    /// <summary>WDIOC_GETTIMEOUT.</summary>
    protected internal abstract int GetTimeout();

    /// <summary>WDIOC_KEEPALIVE.</summary>
    protected internal abstract void Keepalive();

    /// <summary>Closes the device. With <paramref name="magicClose"/> it first writes 'V', which disarms a
    /// driver that supports the magic close; without it the watchdog stays armed and resets the machine.</summary>
    protected internal abstract void Close(bool magicClose);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the device without the magic close (a crash must not disarm the watchdog).</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
