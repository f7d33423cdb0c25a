using System.Device.Gpio;
using EdgeNode.Hal.Profile;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Hal.Power;

/// <summary>
/// Watches the power-fail input line (PSU power-good or a UPS signal) and trips the <see cref="PowerFailGuard"/> on
/// its active edge, and re-arms it when the line returns to inactive (a brownout the unit rode out). "Active"
/// honours the profile's activeLow: a power-good line that drops low is <c>{ "line": 4, "activeLow": true }</c>.
/// If the line is already active at start, the guard trips at once.
/// </summary>
public sealed partial class PowerFailMonitor : IDisposable
{
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly PowerFailGuard _guard;
    private readonly ILogger _logger;
    private readonly PinChangeEventHandler _handler;
    private readonly bool _activeLow;

    /// <summary>Requests the input line and starts watching it.</summary>
    /// <exception cref="IOException">The line could not be requested (message names the line).</exception>
    public PowerFailMonitor(GpioController gpio, GpioLine line, PowerFailGuard guard, ILogger<PowerFailMonitor>? logger = null)
    {
        _gpio = gpio;
        _pin = line.Line ?? throw new ArgumentException("the power-fail input has no line number", nameof(line));
        _activeLow = line.ActiveLow;
        _guard = guard;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _handler = OnEdge;
        var edge = PinEventTypes.Falling | PinEventTypes.Rising;
        try
        {
            _gpio.OpenPin(_pin, PinMode.Input);
            _gpio.RegisterCallbackForPinValueChangedEvent(_pin, edge, _handler);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new IOException($"power-fail input (line {_pin}) could not be requested: {e.Message}", e);
        }
        Log.Watching(_logger, _pin, _activeLow ? "falls low" : "rises high");
        if (IsActive(_gpio.Read(_pin))) _guard.Trip($"power-fail input line {_pin} already active at start");
    }

    private bool IsActive(PinValue v) => (v == PinValue.Low) == _activeLow;

    private void OnEdge(object sender, PinValueChangedEventArgs e)
    {
        bool active = (e.ChangeType == PinEventTypes.Falling) == _activeLow;
        if (active) _guard.Trip($"power-fail input line {_pin} {(_activeLow ? "fell" : "rose")}");
        else _guard.Rearm($"power-fail input line {_pin} {(_activeLow ? "rose" : "fell")} again");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            _gpio.UnregisterCallbackForPinValueChangedEvent(_pin, _handler);
            _gpio.ClosePin(_pin);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Releasing at shutdown; nothing more to do.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 163, Level = LogLevel.Information, Message = "Watching power-fail input line {Line}: power fails when it {Edge}")]
        public static partial void Watching(ILogger logger, int line, string edge);
    }
}
