using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Fleet;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Health;

/// <summary>
/// Two TimeProvider-driven timers: the offline sweep (every SweepInterval) and the heartbeat flush to SQLite
/// (every FlushInterval). A final flush runs at stop, so a clean shutdown loses no heartbeat state.
/// </summary>
public sealed partial class HubMaintenance(FleetRegistry fleet, HubOptions options, TimeProvider time, ILogger<HubMaintenance> logger) : IHostedService, IDisposable
{
    private readonly object _flushGate = new();
    private ITimer? _sweep;
    private ITimer? _flush;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sweep = time.CreateTimer(_ => Sweep(), null, options.SweepInterval, options.SweepInterval);
        _flush = time.CreateTimer(_ => Flush(), null, options.FlushInterval, options.FlushInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _sweep?.Dispose();
        _flush?.Dispose();
        Flush();
        return Task.CompletedTask;
    }

    public void Sweep()
    {
        try
        {
            fleet.SweepOffline();
        }
        catch (Exception e)
        {
            Log.SweepFailed(logger, e);
        }
    }

    public void Flush()
    {
        lock (_flushGate)
        {
            try
            {
                fleet.FlushHealth();
            }
            catch (Exception e)
            {
                Log.FlushFailed(logger, e);
            }
        }
    }

    public void Dispose()
    {
        _sweep?.Dispose();
        _flush?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "Writing heartbeat state to the store failed; it is kept in memory and retried at the next flush")]
        public static partial void FlushFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "The offline sweep failed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
