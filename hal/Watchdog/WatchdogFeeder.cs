using EdgeNode.Hal.Liveness;
using EdgeNode.Hal.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Hal.Watchdog;

/// <summary>
/// Feeds the hardware watchdog (every <see cref="HardwareWatchdog.KeepaliveInterval"/>) and systemd's watchdog
/// (every half <see cref="SystemdNotifier.WatchdogInterval"/>), each only while <see cref="LivenessRegistry.Evaluate"/>
/// is healthy. Time comes from the injected <see cref="TimeProvider"/>.
/// <para>Escalation: systemd (WatchdogSec) restarts a hung agent first; the hardware timeout is longer than
/// WatchdogSec plus a restart, so the hardware resets the unit only when the hang persists or systemd itself hangs.</para>
/// </summary>
public sealed partial class WatchdogFeeder : IDisposable
{
    private readonly LivenessRegistry _liveness;
    private readonly HardwareWatchdog? _hardware;
    private readonly SystemdNotifier? _systemd;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private ITimer? _hardwareTimer;
    private ITimer? _systemdTimer;
    private bool _hardwareFailureLogged;

    /// <summary>Creates a feeder. Either target may be null (no device, not under systemd).</summary>
    public WatchdogFeeder(LivenessRegistry liveness, HardwareWatchdog? hardware, SystemdNotifier? systemd,
        TimeProvider time, ILogger<WatchdogFeeder>? logger = null)
    {
        _liveness = liveness;
        _hardware = hardware;
        _systemd = systemd?.WatchdogInterval is null ? null : systemd;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Keepalives sent to the hardware watchdog so far.</summary>
    public long HardwareFeeds { get; private set; }

    /// <summary>WATCHDOG=1 datagrams sent so far.</summary>
    public long SystemdFeeds { get; private set; }

    /// <summary>Rounds in which feeding was withheld because a liveness check starved.</summary>
    public long WithheldFeeds { get; private set; }

    /// <summary>Starts the timers (and feeds once at once when healthy). The hardware watchdog must be open.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_hardwareTimer is not null || _systemdTimer is not null)
                throw new InvalidOperationException("the watchdog feeder is already running");
            if (_hardware is { IsOpen: true })
            {
                var period = _hardware.KeepaliveInterval;
                _hardwareTimer = _time.CreateTimer(_ => FeedHardware(), null, period, period);
            }
            if (_systemd?.WatchdogInterval is TimeSpan interval)
            {
                var period = interval / 2;
                _systemdTimer = _time.CreateTimer(_ => FeedSystemd(), null, period, period);
                Log.SystemdWatchdog(_logger, interval.TotalSeconds, period.TotalSeconds);
            }
        }
        FeedHardware();
        FeedSystemd();
    }

    /// <summary>Stops feeding (the caller then stops the hardware watchdog cleanly, or lets it fire).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _hardwareTimer?.Dispose();
            _systemdTimer?.Dispose();
            _hardwareTimer = _systemdTimer = null;
        }
    }

    internal void FeedHardware()
    {
        if (_hardware is not { IsOpen: true }) return;
        if (!Healthy()) return;
        try
        {
            _hardware.Keepalive();
            lock (_gate) HardwareFeeds++;
            _hardwareFailureLogged = false;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            if (!_hardwareFailureLogged)
            {
                _hardwareFailureLogged = true;
                Log.KeepaliveFailed(_logger, _hardware.Path, e.Message);
            }
        }
    }

    internal void FeedSystemd()
    {
        if (_systemd is null) return;
        if (!Healthy()) return;
        if (_systemd.Watchdog()) lock (_gate) SystemdFeeds++;
    }

    private bool Healthy()
    {
        if (_liveness.Evaluate().IsHealthy) return true;
        lock (_gate) WithheldFeeds++;
        return false;
    }

    /// <inheritdoc/>
    public void Dispose() => Stop();

    private static partial class Log
    {
        [LoggerMessage(EventId = 130, Level = LogLevel.Information,
            Message = "systemd watchdog is {IntervalSeconds:F1} s; sending WATCHDOG=1 every {PeriodSeconds:F1} s while healthy")]
        public static partial void SystemdWatchdog(ILogger logger, double intervalSeconds, double periodSeconds);

        [LoggerMessage(EventId = 131, Level = LogLevel.Error, Message = "Feeding the hardware watchdog {Device} failed: {Reason}")]
        public static partial void KeepaliveFailed(ILogger logger, string device, string reason);
    }
}
