namespace EdgeNode.Hal.Watchdog;

/// <summary>The kernel's WDIOF_* bits (linux/watchdog.h), used both in <see cref="WatchdogInfo.Options"/> (what
/// the device supports) and in the boot status (why the last boot happened).</summary>
[Flags]
public enum WatchdogFlags
{
    None = 0,
    Overheat = 0x0001,
    FanFault = 0x0002,
    External1 = 0x0004,
    External2 = 0x0008,
    PowerUnder = 0x0010,
    /// <summary>WDIOF_CARDRESET: in the boot status, the last reboot was caused by the watchdog.</summary>
    CardReset = 0x0020,
    PowerOver = 0x0040,
    /// <summary>WDIOF_SETTIMEOUT: the timeout can be set.</summary>
    SetTimeout = 0x0080,
    /// <summary>WDIOF_MAGICCLOSE: writing 'V' before close disarms the watchdog.</summary>
    MagicClose = 0x0100,
    PreTimeout = 0x0200,
    AlarmOnly = 0x0400,
    /// <summary>WDIOF_KEEPALIVEPING: WDIOC_KEEPALIVE is supported.</summary>
    KeepalivePing = 0x8000,
}
