using EdgeNode.Agent.Diagnostics;
using EdgeNode.Agent.Platform;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>
/// Runs the supervisor's reconcile loop; its tick feeds the supervisor liveness check (not while frozen).
/// Should the supervisor loop itself throw, it is logged and restarted after a pause: the agent never dies
/// because one pass failed, but a loop that stops ticking starves the watchdog.
/// </summary>
public sealed partial class SupervisorLoop
{
    private readonly IAppSupervisor _supervisor;
    private readonly ILivenessCheck _liveness;
    private readonly FreezeSwitch _freeze;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SupervisorLoop(IAppSupervisor supervisor, ILivenessCheck liveness, FreezeSwitch freeze, TimeProvider time, ILogger<SupervisorLoop> logger)
    {
        _supervisor = supervisor;
        _liveness = liveness;
        _freeze = freeze;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _freeze.WaitWhileFrozenAsync("supervisor", cancellationToken).ConfigureAwait(false);
            try
            {
                await _supervisor.RunAsync(Tick, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogCrashed(_logger, e.Message);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Tick()
    {
        if (!_freeze.IsFrozen)
        {
            _liveness.Tick();
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "supervisor loop failed, restarting it in 1 s: {Reason}")]
    private static partial void LogCrashed(ILogger logger, string reason);
}
