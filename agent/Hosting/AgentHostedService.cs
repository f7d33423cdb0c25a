using EdgeNode.Agent.Lifecycle;
using EdgeNode.Agent.Platform.Hal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Hosting;

/// <summary>
/// Runs the <see cref="AgentRuntime"/> in the host: start (state loaded, loops running, READY=1), then the watchdog
/// feeder; a loop that ends unexpectedly stops the host with exit code 70 (74 for a storage error) so that systemd
/// restarts the agent; a clean stop sends STOPPING=1, ends the loops, writes the clean-stop marker and disarms the
/// hardware watchdog.
/// </summary>
public sealed partial class AgentHostedService : IHostedService
{
    private readonly AgentRuntime _runtime;
    private readonly HalPlatform _platform;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;

    public AgentHostedService(AgentRuntime runtime, HalPlatform platform, IHostApplicationLifetime lifetime, ILogger<AgentHostedService> logger)
    {
        _runtime = runtime;
        _platform = platform;
        _lifetime = lifetime;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _runtime.StartAsync(cancellationToken).ConfigureAwait(false);
        _platform.StartWatchdog();
        _ = WatchLoopsAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _runtime.StopAsync(cancellationToken).ConfigureAwait(false);
        _platform.CleanStop();
    }

    private async Task WatchLoopsAsync()
    {
        try
        {
            await _runtime.Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e)
        {
            Environment.ExitCode = e is IOException ? AgentExitCode.IoError : AgentExitCode.Software;
            LogLoopFailed(_logger, e.GetType().Name, e.Message, Environment.ExitCode);
            _lifetime.StopApplication();
            return;
        }

        if (!_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            Environment.ExitCode = AgentExitCode.Software;
            LogLoopEnded(_logger);
            _lifetime.StopApplication();
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "an agent loop failed ({Type}: {Reason}); exiting with code {Code} so that systemd restarts the agent")]
    private static partial void LogLoopFailed(ILogger logger, string type, string reason, int code);

    [LoggerMessage(EventId = 11, Level = LogLevel.Critical, Message = "an agent loop ended unexpectedly; exiting with code 70")]
    private static partial void LogLoopEnded(ILogger logger);
}
