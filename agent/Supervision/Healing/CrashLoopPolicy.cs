using EdgeNode.Agent.Supervision.Planning;

namespace EdgeNode.Agent.Supervision.Healing;

/// <summary>
/// Crash accounting, pure over <see cref="AppRuntimeState"/>: the first crash restarts at once, the k-th crash inside
/// the window waits base·2^(k−2) (capped), and more than <see cref="SupervisorOptions.CrashLoopRestarts"/> crashes
/// inside <see cref="SupervisorOptions.CrashLoopWindow"/> mark the app Failed.
/// </summary>
public static class CrashLoopPolicy
{
    public static AppRuntimeState RecordFailure(AppRuntimeState state, int? exitCode, DateTimeOffset now, SupervisorOptions options)
    {
        var failures = state.Failures.Where(t => now - t < options.CrashLoopWindow).Append(now).ToArray();
        var failed = failures.Length > options.CrashLoopRestarts;
        return state with
        {
            Failures = [.. failures],
            LastExitCode = exitCode ?? state.LastExitCode,
            Failed = failed,
            NextRestartAt = failed ? null : now + Delay(failures.Length, options.RestartBackoffBase, options.RestartBackoffCap),
        };
    }

    /// <summary>Wait before the restart that follows the <paramref name="failureCount"/>-th crash in the window.</summary>
    public static TimeSpan Delay(int failureCount, TimeSpan backoffBase, TimeSpan cap)
    {
        if (failureCount <= 1) return TimeSpan.Zero;
        var ticks = Math.Min(backoffBase.Ticks * Math.Pow(2, Math.Min(failureCount - 2, 30)), cap.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
