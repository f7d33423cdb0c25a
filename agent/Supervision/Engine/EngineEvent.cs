namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>A container event from the engine's stream, for one of our containers.</summary>
public sealed record EngineEvent(EngineEventKind Kind, string ContainerId, string App, int? ExitCode, DateTimeOffset Time);
