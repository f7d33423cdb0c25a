using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>What the planner decided for one desired app, and why (<paramref name="Detail"/>, plain words).</summary>
public sealed record AppDecision(string App, PriorityClass Priority, AppPhase Phase, string? ContainerId, string Detail);
