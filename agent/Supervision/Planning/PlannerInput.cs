using EdgeNode.Agent.Supervision.Engine;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>Everything the planner decides on, as plain data.</summary>
/// <param name="Scope">Ownership scope (container names and labels).</param>
/// <param name="Desired">The desired apps.</param>
/// <param name="Current">Our containers in the scope, as the engine reports them.</param>
/// <param name="Capacity">What the apps may use now.</param>
/// <param name="Runtime">Per-app runtime state by app name (missing = fresh).</param>
/// <param name="Images">Normalized image refs present in the engine.</param>
/// <param name="Now">The planning instant (backoff deadlines are compared with it).</param>
public sealed record PlannerInput(
    string Scope,
    IReadOnlyList<DesiredApp> Desired,
    IReadOnlyList<ContainerInfo> Current,
    NodeCapacity Capacity,
    IReadOnlyDictionary<string, AppRuntimeState> Runtime,
    IReadOnlySet<string> Images,
    DateTimeOffset Now);
