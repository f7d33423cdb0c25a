namespace EdgeNode.Hub.Rollouts;

/// <summary>A rollout's full state (engine-internal; guarded by the engine lock and written to SQLite at every transition).</summary>
internal sealed class Rollout
{
    public long Id { get; set; }
    public required string TenantId { get; init; }
    public long SpecRevision { get; init; }
    public RolloutState State { get; set; }
    public required List<string> Sizes { get; init; }
    public required RolloutSelector Selector { get; init; }
    public double SoakSeconds { get; init; }
    public bool AutoRollback { get; init; }
    public int CurrentWave { get; set; }
    public long WaveStartedMs { get; set; }
    public long PausedMs { get; set; }
    public string HaltReason { get; set; } = "";
    public string CreatedBy { get; init; } = "";
    public long CreatedMs { get; init; }
    public long UpdatedMs { get; set; }
    public required List<RolloutSlot> Slots { get; init; }

    public bool IsActive => State is RolloutState.Running or RolloutState.Paused or RolloutState.Halted;

    public IEnumerable<RolloutSlot> Wave(int index) => Slots.Where(s => s.Wave == index);
}
