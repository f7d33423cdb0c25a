using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Platform;

/// <summary>The container supervisor as the agent uses it (adapter over agent/Supervision).</summary>
public interface IAppSupervisor
{
    /// <summary>Makes <paramref name="state"/> the target; reconciling happens in <see cref="RunAsync"/>. Throws
    /// <see cref="InvalidDataException"/> naming the problems when the state is rejected (the previous one stays).</summary>
    Task ApplyAsync(DesiredState state, CancellationToken cancellationToken);

    /// <summary>The supervisor loop: reconciles until cancelled, calling <paramref name="tick"/> on every pass.</summary>
    Task RunAsync(Action tick, CancellationToken cancellationToken);

    /// <summary>Current app reports and machine-readable degraded reasons.</summary>
    SupervisorStatus Snapshot();

    /// <summary>App start/stop/restart/logs from a hub command.</summary>
    Task<CommandResult> ExecuteAsync(Command command, CancellationToken cancellationToken);

    /// <summary>App events (started, exited, restarted, failed, shed) for the journal.</summary>
    event Action<EventKind, string, string>? AppEvent;
}

/// <summary>What the supervisor reports: one entry per app, and why the unit is degraded (empty when healthy).</summary>
public sealed record SupervisorStatus(IReadOnlyList<AppReport> Apps, IReadOnlyList<string> DegradedReasons)
{
    public static SupervisorStatus Empty { get; } = new([], []);
}
