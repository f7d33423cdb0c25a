namespace EdgeNode.Agent.Supervision;

/// <summary>
/// The supervisor's view after its last reconcile: one <see cref="AppStatus"/> per desired app (priority order) and the
/// machine-readable degraded reasons (sorted; empty = not degraded): <c>engine-unavailable</c>,
/// <c>capacity-short:&lt;app&gt;</c>, <c>app-failed:&lt;app&gt;</c>, <c>image-missing:&lt;app&gt;</c>.
/// </summary>
public sealed record SupervisorSnapshot(
    IReadOnlyList<AppStatus> Apps,
    IReadOnlyList<string> Degraded,
    ulong AppliedGeneration,
    bool EngineAvailable,
    DateTimeOffset Time)
{
    public static SupervisorSnapshot Empty { get; } = new([], [], 0, true, DateTimeOffset.MinValue);

    public bool IsDegraded => Degraded.Count > 0;

    public AppStatus? App(string name) => Apps.FirstOrDefault(a => a.Name == name);
}
