namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>One container of our scope as the engine reports it (list + inspect), in plain data for the planner.</summary>
public sealed record ContainerInfo(
    string Id,
    string Name,
    string App,
    string SpecHash,
    ContainerStatus Status,
    int ExitCode,
    bool OomKilled,
    ContainerHealth Health,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public bool IsRunning => Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;

    /// <summary>Identifies one particular exit of this container (changes with every run).</summary>
    public string ExitKey => Id + "@" + FinishedAt?.UtcTicks;

    /// <summary>Identifies the current run of this container.</summary>
    public string RunKey => Id + "@" + StartedAt?.UtcTicks;
}
