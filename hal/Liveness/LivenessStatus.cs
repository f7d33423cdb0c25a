namespace EdgeNode.Hal.Liveness;

/// <summary>The result of <see cref="LivenessRegistry.Evaluate"/>.</summary>
public sealed class LivenessStatus
{
    /// <summary>Every check is fresh.</summary>
    public static LivenessStatus Healthy { get; } = new([]);

    internal LivenessStatus(IReadOnlyList<StarvedCheck> starved) => Starved = starved;

    /// <summary>True when every registered check ticked within its deadline.</summary>
    public bool IsHealthy => Starved.Count == 0;

    /// <summary>The checks that missed their deadline.</summary>
    public IReadOnlyList<StarvedCheck> Starved { get; }
}
