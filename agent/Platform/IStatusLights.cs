using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Platform;

/// <summary>The unit's status LEDs (HAL pattern engine over GPIO, or the simulated driver).</summary>
public interface IStatusLights
{
    void Show(UnitState state);

    /// <summary>Blink the identify pattern over every state for <paramref name="duration"/>.</summary>
    void Identify(TimeSpan duration);

    /// <summary>Advances the pattern engine (called by the LED loop, which ticks its liveness check).</summary>
    void Pump();
}
