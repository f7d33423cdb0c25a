using EdgeNode.Hal.Watchdog;

namespace EdgeNode.Agent.Platform.Hal;

/// <summary>
/// The watchdog device of <c>--simulate-hardware</c>: accepts the same calls as /dev/watchdog and counts keepalives.
/// It resets nothing; when feeding stops (a frozen loop) the log says so through the watchdog feeder.
/// </summary>
public sealed class SimulatedWatchdogDevice : WatchdogDevice
{
    private int _timeout = 60;

    public override string Path => "simulated-watchdog";

    public long Keepalives { get; private set; }

    public bool MagicClosed { get; private set; }

    protected override void Open()
    {
    }

    protected override WatchdogInfo GetSupport() => new("simulated", 0, WatchdogFlags.SetTimeout | WatchdogFlags.KeepalivePing | WatchdogFlags.MagicClose);

    protected override WatchdogFlags GetBootStatus() => 0;

    protected override int SetTimeout(int seconds) => _timeout = seconds;

    protected override int GetTimeout() => _timeout;

    protected override void Keepalive() => Keepalives++;

    protected override void Close(bool magicClose) => MagicClosed = magicClose;
}
