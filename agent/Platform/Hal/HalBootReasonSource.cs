using EdgeNode.Hal.Boot;
using HalBootReason = EdgeNode.Hal.Boot.BootReason;
using WireBootReason = EdgeNode.Link.Contracts.BootReason;

namespace EdgeNode.Agent.Platform.Hal;

/// <summary>
/// <see cref="IBootReasonSource"/> over the HAL's <see cref="BootReasonDetector"/> (clean-stop marker, kernel boot id,
/// and the watchdog's WDIOF_CARDRESET boot status). An agent restart within the same boot (systemd's WatchdogSec)
/// has no wire value; it is reported as PowerLoss ("no clean stop") and named in the boot event.
/// </summary>
public sealed class HalBootReasonSource : IBootReasonSource
{
    private readonly BootReasonDetector _detector;

    public HalBootReasonSource(BootReasonDetector detector, bool watchdogReset)
    {
        _detector = detector;
        var record = detector.Detect(watchdogReset);
        HalReason = record.Reason;
        BootCount = (uint)Math.Min(record.StartCount, uint.MaxValue);
        Reason = Map(record.Reason);
    }

    public WireBootReason Reason { get; }

    public HalBootReason HalReason { get; }

    public uint BootCount { get; }

    public void MarkCleanStop() => _detector.MarkCleanStop();

    public static WireBootReason Map(HalBootReason reason) => reason switch
    {
        HalBootReason.FirstBoot => WireBootReason.FirstBoot,
        HalBootReason.CleanStop => WireBootReason.CleanStop,
        HalBootReason.Watchdog => WireBootReason.Watchdog,
        HalBootReason.PowerLoss or HalBootReason.AgentRestart => WireBootReason.PowerLoss,
        _ => WireBootReason.Unknown,
    };
}
