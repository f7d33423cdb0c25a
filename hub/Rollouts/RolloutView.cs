namespace EdgeNode.Hub.Rollouts;

public sealed record RolloutView(
    long Id,
    string Tenant,
    long SpecRevision,
    RolloutState State,
    int CurrentWave,
    int WaveCount,
    double SoakSeconds,
    bool AutoRollback,
    RolloutSelector Selector,
    string HaltReason,
    string CreatedBy,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    IReadOnlyList<RolloutWaveView> Waves,
    IReadOnlyList<RolloutSlotView>? Slots);
