using EdgeNode.Hal.Leds;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Platform.Hal;

/// <summary><see cref="IStatusLights"/> over the HAL's <see cref="StatusLeds"/> pattern engine (it runs its own timer).</summary>
public sealed class HalStatusLights : IStatusLights, IDisposable
{
    private readonly StatusLeds _leds;

    public HalStatusLights(StatusLeds leds) => _leds = leds;

    public StatusLeds Leds => _leds;

    public void Show(UnitState state)
    {
        var signal = Map(state);
        if (_leds.Signal != signal)
        {
            _leds.SetSignal(signal);
        }
    }

    public void Identify(TimeSpan duration) => _leds.Identify(duration);

    public void Pump()
    {
    }

    public void Dispose() => _leds.Dispose();

    public static StatusSignal Map(UnitState state) => state switch
    {
        UnitState.Booting => StatusSignal.Booting,
        UnitState.AwaitingEnrollment => StatusSignal.AwaitingEnrollment,
        UnitState.Online => StatusSignal.Online,
        UnitState.Degraded => StatusSignal.Degraded,
        UnitState.HubUnreachable => StatusSignal.HubUnreachable,
        _ => StatusSignal.Fault,
    };
}
