using EdgeNode.Hal.Gpio;
using EdgeNode.Hal.Leds;

namespace EdgeNode.Agent.Platform.Hal;

/// <summary>
/// <c>--simulate-hardware</c>: prints the simulated LED lines whenever what they show changes (the pattern of each
/// LED, and whether identify is on), with the line numbers and the count of line level changes in between, so that
/// <c>./run.sh</c> shows what a technician would see without printing every blink.
/// </summary>
public sealed class SimulatedLedConsole : IStatusLights
{
    private readonly IStatusLights _inner;
    private readonly StatusLeds _leds;
    private readonly SimulatedGpioDriver _driver;
    private readonly TextWriter _output;
    private string _last = "";
    private int _seenChanges;

    public SimulatedLedConsole(IStatusLights inner, StatusLeds leds, SimulatedGpioDriver driver, TextWriter output)
    {
        _inner = inner;
        _leds = leds;
        _driver = driver;
        _output = output;
    }

    public void Show(EdgeNode.Link.Contracts.UnitState state)
    {
        _inner.Show(state);
        Print(state.ToString());
    }

    public void Identify(TimeSpan duration)
    {
        _inner.Identify(duration);
        Print($"identify {duration.TotalSeconds:0} s");
    }

    public void Pump()
    {
        _inner.Pump();
        Print(_leds.Signal.ToString());
    }

    private void Print(string what)
    {
        var patterns = _leds.Describe().Replace("(lit)", "", StringComparison.Ordinal).Replace("(dark)", "", StringComparison.Ordinal);
        var now = (_leds.IsIdentifying ? "IDENTIFY " : "") + _leds.Signal + ": " + patterns;
        if (now == _last)
        {
            return;
        }

        var timeline = _driver.Timeline;
        var changes = timeline.Count - _seenChanges;
        _seenChanges = timeline.Count;
        _last = now;
        var levels = string.Join(' ', Enumerable.Range(0, 8).Where(_driver.IsOpen).Select(l => $"line{l}={(_driver.GetLevel(l) == System.Device.Gpio.PinValue.High ? 1 : 0)}"));
        _output.WriteLine($"[leds] {now}   ({levels}; {changes} line changes since last)");
        _output.Flush();
    }
}
