using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Hal.Watchdog;

/// <summary>
/// The checking controller over a <see cref="WatchdogDevice"/> (the shape of dotnet/iot's GpioController): owns the
/// open/closed state, checks every call, then delegates.
/// <para>One owner: the image must not also set systemd's RuntimeWatchdogSec (system.conf) for the same device, or
/// systemd and the agent would both open it and whichever opens second fails with EBUSY. The agent feeds the
/// hardware watchdog; systemd supervises the agent through WatchdogSec=.</para>
/// </summary>
public sealed partial class HardwareWatchdog : IDisposable
{
    private readonly WatchdogDevice _device;
    private readonly WatchdogOptions _options;
    private readonly ILogger _logger;
    private bool _open;
    private bool _disposed;

    /// <summary>A controller over <paramref name="device"/>. Nothing is opened until <see cref="Open"/>.</summary>
    public HardwareWatchdog(WatchdogDevice device, WatchdogOptions? options = null, ILogger<HardwareWatchdog>? logger = null)
    {
        _device = device;
        _options = options ?? new WatchdogOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The device path.</summary>
    public string Path => _device.Path;

    /// <summary>True between <see cref="Open"/> and <see cref="Stop"/>.</summary>
    public bool IsOpen => _open;

    /// <summary>The driver's identity and options (after <see cref="Open"/>).</summary>
    public WatchdogInfo? Info { get; private set; }

    /// <summary>WDIOC_GETBOOTSTATUS as read at <see cref="Open"/>.</summary>
    public WatchdogFlags BootStatus { get; private set; }

    /// <summary>True when the boot status has WDIOF_CARDRESET: the last boot was a watchdog reset.</summary>
    public bool LastBootWasWatchdogReset => (BootStatus & WatchdogFlags.CardReset) != 0;

    /// <summary>The timeout in effect (after <see cref="Open"/>).</summary>
    public TimeSpan Timeout { get; private set; }

    /// <summary>How often <see cref="WatchdogFeeder"/> should call <see cref="Keepalive"/>.</summary>
    public TimeSpan KeepaliveInterval =>
        _options.KeepaliveInterval ?? TimeSpan.FromSeconds(Math.Max(1, Timeout.TotalSeconds / 4));

    /// <summary>Opens (arms) the watchdog, reads its identity and boot status and programs the timeout.</summary>
    /// <exception cref="IOException">The device cannot be opened or an ioctl failed (message names device, call and errno).</exception>
    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_open) throw new InvalidOperationException($"watchdog {Path} is already open");
        _device.Open();
        try
        {
            Info = _device.GetSupport();
            BootStatus = _device.GetBootStatus();
            if (_options.TimeoutSeconds is int wanted && wanted > 0)
            {
                if ((Info.Options & WatchdogFlags.SetTimeout) != 0)
                    _device.SetTimeout(wanted);
                else
                    Log.TimeoutNotSettable(_logger, Path, Info.Identity, wanted);
            }
            Timeout = TimeSpan.FromSeconds(_device.GetTimeout());
            _device.Keepalive();
        }
        catch (IOException e)
        {
            // Opening armed it, but we cannot run it: disarm (magic close) rather than leave an armed watchdog that
            // nobody feeds, which would reset the unit over and over.
            Log.OpenFailedDisarming(_logger, Path, e.Message);
            try
            {
                _device.Close(magicClose: true);
            }
            catch (IOException)
            {
                // Nothing more we can do; the original error is the one to report.
            }
            throw;
        }
        _open = true;
        Log.Opened(_logger, Path, Info.Identity, (int)Timeout.TotalSeconds, BootStatus, LastBootWasWatchdogReset);
    }

    /// <summary>Feeds the watchdog (WDIOC_KEEPALIVE).</summary>
    public void Keepalive()
    {
        ThrowIfNotOpen();
        _device.Keepalive();
    }

    /// <summary>Clean stop: closes the device, with the magic close unless <see cref="WatchdogOptions.MagicCloseOnStop"/>
    /// is false.</summary>
    public void Stop()
    {
        if (!_open) return;
        _open = false;
        bool magic = _options.MagicCloseOnStop;
        _device.Close(magic);
        if (magic) Log.Disarmed(_logger, Path);
        else Log.LeftArmed(_logger, Path, (int)Timeout.TotalSeconds);
    }

    /// <summary>Releases the device WITHOUT the magic close: if this is not a clean stop, the watchdog stays armed.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _open = false;
        _device.Dispose();
    }

    private void ThrowIfNotOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_open) throw new InvalidOperationException($"watchdog {Path} is not open");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Information,
            Message = "Hardware watchdog {Device} ('{Identity}') armed: timeout {TimeoutSeconds} s; boot status {BootStatus} (watchdog reset: {WatchdogReset})")]
        public static partial void Opened(ILogger logger, string device, string identity, int timeoutSeconds, WatchdogFlags bootStatus, bool watchdogReset);

        [LoggerMessage(EventId = 111, Level = LogLevel.Warning,
            Message = "Hardware watchdog {Device} ('{Identity}') cannot set its timeout; wanted {Wanted} s, keeping the driver's")]
        public static partial void TimeoutNotSettable(ILogger logger, string device, string identity, int wanted);

        [LoggerMessage(EventId = 114, Level = LogLevel.Error,
            Message = "Hardware watchdog {Device} was opened but could not be set up ({Reason}); disarming it with the magic close")]
        public static partial void OpenFailedDisarming(ILogger logger, string device, string reason);

        [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Hardware watchdog {Device} disarmed (magic close)")]
        public static partial void Disarmed(ILogger logger, string device);

        [LoggerMessage(EventId = 113, Level = LogLevel.Warning,
            Message = "Hardware watchdog {Device} closed without the magic close: it stays armed and resets the unit in {TimeoutSeconds} s unless reopened")]
        public static partial void LeftArmed(ILogger logger, string device, int timeoutSeconds);
    }
}
