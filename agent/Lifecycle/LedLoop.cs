using EdgeNode.Agent.Diagnostics;
using EdgeNode.Agent.Platform;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>
/// The LED loop: every period it refreshes the unit state from the supervisor's degraded reasons, shows the
/// state on the status LEDs, and ticks its liveness check. (The identify overlay is set directly by commands.)
/// </summary>
public sealed class LedLoop
{
    private readonly UnitStatus _status;
    private readonly IAppSupervisor _supervisor;
    private readonly IStatusLights _lights;
    private readonly ILivenessCheck _liveness;
    private readonly FreezeSwitch _freeze;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;

    public LedLoop(UnitStatus status, IAppSupervisor supervisor, IStatusLights lights, ILivenessCheck liveness, FreezeSwitch freeze, TimeProvider time, TimeSpan? period = null)
    {
        _status = status;
        _supervisor = supervisor;
        _lights = lights;
        _liveness = liveness;
        _freeze = freeze;
        _time = time;
        _period = period ?? TimeSpan.FromMilliseconds(250);
    }

    public void Step()
    {
        _status.SetDegraded(_supervisor.Snapshot().DegradedReasons);
        _lights.Show(_status.State);
        _lights.Pump();
        _liveness.Tick();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _freeze.WaitWhileFrozenAsync("led", cancellationToken).ConfigureAwait(false);
            Step();
            await Task.Delay(_period, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
