namespace EdgeNode.Hub.Rollouts;

public sealed record RolloutSlotView(
    string Slot,
    int Wave,
    string? DeviceId,
    ulong FromGeneration,
    ulong ToGeneration,
    IReadOnlyList<string> ChangedApps,
    RolloutSlotState State,
    string Detail);
