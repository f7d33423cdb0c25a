namespace EdgeNode.Hub.Rollouts;

internal sealed class RolloutSlot
{
    public required string Path { get; init; }
    public int Wave { get; init; }
    public string? DeviceId { get; set; }
    public ulong FromGeneration { get; init; }
    public ulong ToGeneration { get; init; }
    public required IReadOnlyList<string> ChangedApps { get; init; }
    public RolloutSlotState State { get; set; }

    /// <summary>Per changed app: the lowest restart count seen since the wave started (a rise above it fails the gate).</summary>
    public Dictionary<string, uint> Baseline { get; set; } = new(StringComparer.Ordinal);
    public string Detail { get; set; } = "";
}
