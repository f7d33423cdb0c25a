namespace EdgeNode.Hub.Rollouts;

/// <summary>One wave: its size spec, state (Pending, Soaking, Passed, Failed, RolledBack, Stopped) and slot counts.</summary>
public sealed record RolloutWaveView(int Index, string Size, string State, int Slots, int Updating, int Passed, int Failed, int RolledBack, DateTimeOffset? Started, DateTimeOffset? SoakEnds);
