using EdgeNode.Hub.Alerts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Rollouts;

/// <summary>
/// The fleet-operations timer (TimeProvider): ticks the rollout engine every second, evaluates the alert rules every
/// <see cref="AlertEngine.EvaluateInterval"/> and sends due webhook
/// deliveries. No sleeps: tests drive it by advancing a FakeTimeProvider, or call the engines' methods directly.
/// </summary>
public sealed partial class RolloutTicker(RolloutEngine rollouts, AlertEngine alerts, TimeProvider time, ILogger<RolloutTicker> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private ITimer? _timer;
    private int _delivering;
    private DateTimeOffset _lastEvaluation = DateTimeOffset.MinValue;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => Tick(), null, Interval, Interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Tick()
    {
        try
        {
            rollouts.Tick();
            var now = time.GetUtcNow();
            if (now - _lastEvaluation >= alerts.EvaluateInterval)
            {
                _lastEvaluation = now;
                alerts.Evaluate();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.TickFailed(logger, e);
        }

        if (Interlocked.Exchange(ref _delivering, 1) == 0)
        {
            _ = DeliverAsync();
        }
    }

    private async Task DeliverAsync()
    {
        try
        {
            await alerts.DeliverDueAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.TickFailed(logger, e);
        }
        finally
        {
            Volatile.Write(ref _delivering, 0);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 850, Level = LogLevel.Error, Message = "The fleet-operations tick failed; it runs again at the next interval")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
