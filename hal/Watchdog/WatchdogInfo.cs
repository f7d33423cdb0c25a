namespace EdgeNode.Hal.Watchdog;

/// <summary>What WDIOC_GETSUPPORT reports: the driver's identity (e.g. "i6300ESB timer"), firmware version and
/// supported options.</summary>
public sealed record WatchdogInfo(string Identity, uint FirmwareVersion, WatchdogFlags Options);
