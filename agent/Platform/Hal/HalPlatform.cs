using System.Device.Gpio;
using EdgeNode.Agent.Configuration;
using EdgeNode.Hal.Boot;
using EdgeNode.Hal.Gpio;
using EdgeNode.Hal.Leds;
using EdgeNode.Hal.Liveness;
using EdgeNode.Hal.Power;
using EdgeNode.Hal.Profile;
using EdgeNode.Hal.Storage;
using EdgeNode.Hal.Systemd;
using EdgeNode.Hal.Watchdog;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Platform.Hal;

/// <summary>
/// The unit's hardware and storage, from the HAL, opened in order: power-fail guard, hardware watchdog (its boot
/// status feeds the boot reason), boot-reason detector, durable store and journal under the state directory,
/// GPIO (real, or simulated with <c>--simulate-hardware</c>), status LEDs, power-fail input, liveness registry,
/// systemd notifier and the watchdog feeder that ties them together.
/// </summary>
public sealed partial class HalPlatform : IDisposable
{
    private readonly ILogger _logger;
    private readonly HardwareWatchdog? _watchdog;
    private readonly PowerFailMonitor? _powerFail;
    private readonly WatchdogFeeder _feeder;
    private readonly HalEventJournal _journal;
    private readonly HalStatusLights _halLights;

    public HalPlatform(AgentConfig config, HardwareProfile profile, bool simulate, TimeProvider time, ILoggerFactory loggers, TextWriter console)
    {
        _logger = loggers.CreateLogger<HalPlatform>();
        Guard = new PowerFailGuard(time, loggers.CreateLogger<PowerFailGuard>());

        // The watchdog first: its boot status says whether the last boot was a watchdog reset.
        var watchdogOptions = new WatchdogOptions
        {
            Device = profile.Watchdog?.Device ?? "/dev/watchdog",
            TimeoutSeconds = profile.Watchdog?.TimeoutSeconds,
            MagicCloseOnStop = profile.Watchdog?.MagicCloseOnStop ?? true,
        };
        if (simulate)
        {
            SimulatedWatchdog = new SimulatedWatchdogDevice();
            _watchdog = new HardwareWatchdog(SimulatedWatchdog, watchdogOptions, loggers.CreateLogger<HardwareWatchdog>());
            _watchdog.Open();
        }
        else if (profile.Watchdog is not null)
        {
            // The driver may still be loading (udev loads watchdog modules while the agent starts): wait for the node,
            // or the boot status (WDIOF_CARDRESET) is lost and a watchdog reset would be reported as a power loss.
            if (!File.Exists(watchdogOptions.Device))
            {
                var wait = TimeSpan.FromSeconds(profile.Watchdog.AppearTimeoutSeconds);
                var waitStart = time.GetTimestamp();
                LogWaitingForWatchdog(_logger, watchdogOptions.Device, wait.TotalSeconds);
                if (WatchdogDeviceWait.WaitAsync(watchdogOptions.Device, wait, time).GetAwaiter().GetResult())
                    LogWatchdogAppeared(_logger, watchdogOptions.Device, time.GetElapsedTime(waitStart).TotalSeconds);
            }

            var device = new HardwareWatchdog(new LinuxWatchdogDevice(watchdogOptions.Device), watchdogOptions, loggers.CreateLogger<HardwareWatchdog>());
            try
            {
                device.Open();
                _watchdog = device;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogNoWatchdog(_logger, watchdogOptions.Device, e.Message);
                device.Dispose();
            }
        }

        Boot = new HalBootReasonSource(new BootReasonDetector(config.StateDirectory, loggers.CreateLogger<BootReasonDetector>()), _watchdog?.LastBootWasWatchdogReset ?? false);
        Store = new HalDurableStore(Path.Combine(config.StateDirectory, "state"), Guard);
        Directory.CreateDirectory(Path.Combine(config.StateDirectory, "state"));
        _journal = new HalEventJournal(EdgeNode.Hal.Storage.Journal.Open(Path.Combine(config.StateDirectory, "journal"), new JournalOptions(), time, Guard, loggers.CreateLogger<Journal>()), time);

        GpioController? gpio;
        if (simulate)
        {
            SimulatedGpio = new SimulatedGpioDriver(time);
            // The simulated PSU has power: its power-good/power-fail input starts at the inactive level, as the
            // board's pull resistor holds it on real hardware. A test drives it with SimulatedGpio.SetInput.
            if (profile.PowerFail is { Line: { } powerLine } powerFail)
                SimulatedGpio.SetInput(powerLine, powerFail.ActiveLow ? PinValue.High : PinValue.Low);
            gpio = GpioAccess.OpenSimulated(SimulatedGpio);
        }
        else
        {
            gpio = GpioAccess.OpenHardware(profile, loggers.CreateLogger<HalPlatform>());
        }

        Leds = StatusLeds.FromProfile(profile, gpio, time, loggers.CreateLogger<StatusLeds>());
        _halLights = new HalStatusLights(Leds);
        Lights = SimulatedGpio is null ? _halLights : new SimulatedLedConsole(_halLights, Leds, SimulatedGpio, console);

        Guard.OnPowerFail("journal", () => _journal.Journal.Flush());
        Guard.OnPowerFail("leds", () => Leds.SetSignal(StatusSignal.PowerFail));
        if (gpio is not null && profile.PowerFail is { } line)
        {
            try
            {
                _powerFail = new PowerFailMonitor(gpio, line, Guard, loggers.CreateLogger<PowerFailMonitor>());
            }
            catch (IOException e)
            {
                LogNoPowerFail(_logger, e.Message);
            }
        }

        Registry = new LivenessRegistry(time, loggers.CreateLogger<LivenessRegistry>());
        Liveness = new HalLivenessMonitor(Registry);
        Systemd = SystemdNotifier.FromEnvironment(loggers.CreateLogger<SystemdNotifier>());
        Notifier = new HalServiceNotifier(Systemd);
        _feeder = new WatchdogFeeder(Registry, _watchdog, Systemd, time, loggers.CreateLogger<WatchdogFeeder>());
    }

    public PowerFailGuard Guard { get; }
    public SimulatedWatchdogDevice? SimulatedWatchdog { get; }
    public SimulatedGpioDriver? SimulatedGpio { get; }
    public HalBootReasonSource Boot { get; }
    public HalDurableStore Store { get; }
    public IEventJournal Journal => _journal;
    public StatusLeds Leds { get; }
    public IStatusLights Lights { get; }
    public LivenessRegistry Registry { get; }
    public ILivenessMonitor Liveness { get; }
    public SystemdNotifier Systemd { get; }
    public IServiceNotifier Notifier { get; }
    public WatchdogFeeder Feeder => _feeder;
    public HardwareWatchdog? Watchdog => _watchdog;

    /// <summary>Starts feeding the watchdogs (gated by the liveness checks).</summary>
    public void StartWatchdog() => _feeder.Start();

    /// <summary>Clean stop (SIGTERM): no more feeding; the hardware watchdog is closed with the magic close unless the
    /// profile says not. Not called on a crash: then the device stays armed, and fires unless the agent is back in time.</summary>
    public void CleanStop()
    {
        _feeder.Stop();
        _watchdog?.Stop();
    }

    public void Dispose()
    {
        _feeder.Dispose();
        _watchdog?.Dispose();
        _powerFail?.Dispose();
        _journal.Dispose();
        _halLights.Dispose();
        Systemd.Dispose();
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "no hardware watchdog: {Device} could not be opened ({Reason}); only systemd's watchdog guards the agent")]
    private static partial void LogNoWatchdog(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "waiting up to {Seconds} s for the hardware watchdog {Device} (its driver may still be loading)")]
    private static partial void LogWaitingForWatchdog(ILogger logger, string device, double seconds);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "hardware watchdog {Device} appeared after {Seconds:0.0} s")]
    private static partial void LogWatchdogAppeared(ILogger logger, string device, double seconds);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "power-fail input not watched: {Reason}")]
    private static partial void LogNoPowerFail(ILogger logger, string reason);
}
