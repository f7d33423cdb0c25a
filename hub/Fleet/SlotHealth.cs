using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Fleet;

/// <summary>What the rollout gate reads about the unit in a slot: its status, applied generation and per-app phase and restarts.</summary>
public sealed record SlotHealth(
    string DeviceId,
    DeviceStatus Status,
    ulong AppliedGeneration,
    IReadOnlyList<string> Degraded,
    IReadOnlyDictionary<string, (AppPhase Phase, uint Restarts)> Apps);
