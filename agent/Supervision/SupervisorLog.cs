using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Supervision;

/// <summary>The supervisor's log catalog: stable event ids 4000–4099.</summary>
internal static partial class SupervisorLog
{
    [LoggerMessage(4001, LogLevel.Debug, "Supervisor: {Command}")]
    public static partial void CommandRunning(ILogger logger, string command);

    [LoggerMessage(4002, LogLevel.Warning, "Supervisor: {Command} failed (attempt {Attempt}, next try in {Delay}): {Reason}")]
    public static partial void CommandFailed(ILogger logger, string command, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "Supervisor: {Problem}")]
    public static partial void CacheProblem(ILogger logger, string problem);

    [LoggerMessage(4004, LogLevel.Information, "Supervisor: loaded image '{Image}' from the image cache file '{Path}'")]
    public static partial void ImageLoaded(ILogger logger, string image, string path);

    [LoggerMessage(4005, LogLevel.Warning, "Supervisor [{Scope}]: container engine unavailable, apps keep their last known state: {Reason}")]
    public static partial void EngineUnavailable(ILogger logger, string scope, string reason);

    [LoggerMessage(4006, LogLevel.Information, "Supervisor [{Scope}]: container engine is back, re-listing containers")]
    public static partial void EngineBack(ILogger logger, string scope);

    [LoggerMessage(4007, LogLevel.Warning, "Supervisor [{Scope}]: app '{App}' {What}; failure {Count} in the window, next restart {NextRestart}")]
    public static partial void AppCrashed(ILogger logger, string scope, string app, string what, int count, string nextRestart);

    [LoggerMessage(4008, LogLevel.Error, "Supervisor [{Scope}]: app '{App}' is in a crash loop and marked Failed (last exit code {ExitCode})")]
    public static partial void AppFailed(ILogger logger, string scope, string app, int exitCode);

    [LoggerMessage(4009, LogLevel.Warning, "Supervisor [{Scope}]: app '{App}' stopped to save capacity: {Reason}")]
    public static partial void AppShed(ILogger logger, string scope, string app, string reason);

    [LoggerMessage(4010, LogLevel.Warning, "Supervisor [{Scope}]: unit degraded: {Reasons}")]
    public static partial void Degraded(ILogger logger, string scope, string reasons);

    [LoggerMessage(4011, LogLevel.Information, "Supervisor [{Scope}]: unit recovered, every app is as desired")]
    public static partial void Recovered(ILogger logger, string scope);

    [LoggerMessage(4012, LogLevel.Debug, "Supervisor [{Scope}]: plan\n{Plan}")]
    public static partial void PlanComputed(ILogger logger, string scope, string plan);

    [LoggerMessage(4013, LogLevel.Error, "Supervisor [{Scope}]: reconcile failed, retrying: {Reason}")]
    public static partial void ReconcileFailed(ILogger logger, string scope, string reason, Exception exception);

    [LoggerMessage(4014, LogLevel.Information, "Supervisor [{Scope}]: desired state generation {Generation} applied ({Count} apps)")]
    public static partial void DesiredStateApplied(ILogger logger, string scope, ulong generation, int count);

    [LoggerMessage(4015, LogLevel.Information, "Supervisor [{Scope}]: app '{App}' {What}")]
    public static partial void AppStarted(ILogger logger, string scope, string app, string what);

    [LoggerMessage(4016, LogLevel.Debug, "Supervisor [{Scope}]: engine event stream ended: {Reason}")]
    public static partial void WatchEnded(ILogger logger, string scope, string reason);
}
