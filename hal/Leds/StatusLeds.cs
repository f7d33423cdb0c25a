using System.Device.Gpio;
using System.Text;
using EdgeNode.Hal.Profile;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Hal.Leds;

/// <summary>
/// The status-LED pattern engine. It maps the current <see cref="StatusSignal"/> (or the Identify overlay) to a
/// pattern per LED through a <see cref="LedScheme"/>, writes only the changes, and sleeps on one
/// <see cref="TimeProvider"/> timer until the next change. LED lines are requested once and kept open (a released
/// gpio-sim line falls back to its pull, and a real LED would go dark).
/// With no <see cref="GpioController"/> (no GPIO on this machine) it keeps the state and writes nothing.
/// </summary>
public sealed partial class StatusLeds : IDisposable
{
    private readonly GpioController? _gpio;
    private readonly Led[] _leds;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LedScheme _scheme;
    private readonly ITimer _timer;
    private readonly object _gate = new();
    private StatusSignal _signal = StatusSignal.Booting;
    private DateTimeOffset _patternStart;
    private DateTimeOffset? _identifyUntil;
    private bool _disposed;

    /// <summary>Opens every LED line as an output (dark) and shows <see cref="StatusSignal.Booting"/>.</summary>
    /// <param name="gpio">The controller, or null when the machine has no usable GPIO.</param>
    /// <param name="leds">LED name → line, e.g. the profile's <see cref="HardwareProfile.Leds"/>.</param>
    /// <param name="time">The clock that drives the patterns.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="scheme">Patterns per signal; <see cref="LedScheme.Default"/> when null.</param>
    public StatusLeds(GpioController? gpio, IReadOnlyDictionary<string, GpioLine> leds, TimeProvider time,
        ILogger<StatusLeds>? logger = null, LedScheme? scheme = null)
    {
        _gpio = gpio;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _scheme = scheme ?? LedScheme.Default;
        var list = new List<Led>();
        foreach (var (name, line) in leds.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            int pin = line.Line ?? throw new ArgumentException($"LED '{name}' has no line number", nameof(leds));
            list.Add(new Led(name, pin, line.ActiveLow));
        }
        _leds = [.. list];
        if (_gpio is not null)
        {
            foreach (var led in _leds)
            {
                try
                {
                    _gpio.OpenPin(led.Pin, PinMode.Output, led.Level(false));
                    led.Written = false;
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or NotSupportedException or UnauthorizedAccessException)
                {
                    foreach (var opened in _leds)
                        if (opened != led && _gpio.IsPinOpen(opened.Pin)) _gpio.ClosePin(opened.Pin);
                    throw new IOException($"LED '{led.Name}' (line {led.Pin}) could not be requested as an output: {e.Message}", e);
                }
            }
        }
        _timer = _time.CreateTimer(_ => Render(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _patternStart = _time.GetUtcNow();
        Render();
    }

    /// <summary>Builds the LEDs of <paramref name="profile"/> (none when it lists none).</summary>
    public static StatusLeds FromProfile(HardwareProfile profile, GpioController? gpio, TimeProvider time,
        ILogger<StatusLeds>? logger = null, LedScheme? scheme = null) =>
        new(gpio, profile.Leds ?? [], time, logger, scheme);

    /// <summary>False when there is no GPIO: the state is tracked, nothing is lit.</summary>
    public bool HasHardware => _gpio is not null;

    /// <summary>The current signal (also while Identify overrides it).</summary>
    public StatusSignal Signal
    {
        get { lock (_gate) return _signal; }
    }

    /// <summary>True while Identify overrides the signal.</summary>
    public bool IsIdentifying
    {
        get { lock (_gate) return _identifyUntil is not null; }
    }

    /// <summary>Shows <paramref name="signal"/>. Setting the current signal again changes nothing (patterns keep
    /// their phase); a new signal starts its patterns from the beginning.</summary>
    public void SetSignal(StatusSignal signal)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (signal == _signal) return;
            Log.SignalChanged(_logger, _signal, signal);
            _signal = signal;
            if (_identifyUntil is null) _patternStart = _time.GetUtcNow();
        }
        Render();
    }

    /// <summary>Overrides every LED with the identify pattern for <paramref name="duration"/> (a new call restarts
    /// it), then returns to the current signal.</summary>
    public void Identify(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            _identifyUntil = now + duration;
            _patternStart = now;
            Log.IdentifyStarted(_logger, duration.TotalSeconds);
        }
        Render();
    }

    /// <summary>Ends Identify early.</summary>
    public void CancelIdentify()
    {
        lock (_gate)
        {
            if (_identifyUntil is null) return;
            _identifyUntil = null;
            _patternStart = _time.GetUtcNow();
        }
        Render();
    }

    /// <summary>What each LED shows now, e.g. "status-green=solid(lit) status-red=off(dark)".</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var sb = new StringBuilder();
            foreach (var led in _leds)
            {
                if (sb.Length > 0) sb.Append(' ');
                sb.Append(led.Name).Append('=').Append(led.Pattern?.Name ?? "off").Append(led.Lit ? "(lit)" : "(dark)");
            }
            return sb.ToString();
        }
    }

    /// <summary>Whether <paramref name="led"/> is lit right now.</summary>
    public bool IsLit(string led)
    {
        lock (_gate)
        {
            foreach (var l in _leds)
                if (l.Name == led) return l.Lit;
        }
        throw new ArgumentException($"LED '{led}' is not configured", nameof(led));
    }

    private void Render()
    {
        lock (_gate)
        {
            if (_disposed) return;
            var now = _time.GetUtcNow();
            if (_identifyUntil is DateTimeOffset until && now >= until)
            {
                _identifyUntil = null;
                _patternStart = until;
                Log.IdentifyEnded(_logger);
            }
            TimeSpan next = TimeSpan.MaxValue;
            var elapsed = now - _patternStart;
            foreach (var led in _leds)
            {
                var pattern = _identifyUntil is null ? _scheme.PatternFor(_signal, led.Name) : _scheme.IdentifyPatternFor(led.Name);
                led.Pattern = pattern;
                bool lit = pattern.Evaluate(elapsed, out var untilChange);
                if (untilChange < next) next = untilChange;
                if (lit != led.Lit || led.Written is null)
                {
                    led.Lit = lit;
                    Write(led, lit);
                }
            }
            if (_identifyUntil is DateTimeOffset end && end - now < next) next = end - now;
            _timer.Change(next == TimeSpan.MaxValue ? Timeout.InfiniteTimeSpan : next, Timeout.InfiniteTimeSpan);
        }
    }

    private void Write(Led led, bool lit)
    {
        led.Written = lit;
        if (_gpio is null) return;
        try
        {
            _gpio.Write(led.Pin, led.Level(lit));
            led.WriteFailureLogged = false;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            if (!led.WriteFailureLogged)
            {
                led.WriteFailureLogged = true;
                Log.WriteFailed(_logger, led.Name, led.Pin, e.Message);
            }
        }
    }

    /// <summary>Stops the engine and releases the lines (they then fall back to their default level).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _timer.Dispose();
        if (_gpio is null) return;
        foreach (var led in _leds)
        {
            try
            {
                if (_gpio.IsPinOpen(led.Pin)) _gpio.ClosePin(led.Pin);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                Log.WriteFailed(_logger, led.Name, led.Pin, e.Message);
            }
        }
    }

    private sealed class Led(string name, int pin, bool activeLow)
    {
        public string Name { get; } = name;
        public int Pin { get; } = pin;
        public bool Lit { get; set; }
        public bool? Written { get; set; }
        public LedPattern? Pattern { get; set; }
        public bool WriteFailureLogged { get; set; }
        public PinValue Level(bool lit) => lit != activeLow ? PinValue.High : PinValue.Low;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Status LEDs: {From} -> {To}")]
        public static partial void SignalChanged(ILogger logger, StatusSignal from, StatusSignal to);

        [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Status LEDs: identify for {Seconds:F0} s")]
        public static partial void IdentifyStarted(ILogger logger, double seconds);

        [LoggerMessage(EventId = 142, Level = LogLevel.Information, Message = "Status LEDs: identify ended")]
        public static partial void IdentifyEnded(ILogger logger);

        [LoggerMessage(EventId = 143, Level = LogLevel.Warning, Message = "LED '{Led}' (line {Line}) could not be written: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string led, int line, string reason);
    }
}
