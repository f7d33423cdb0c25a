namespace EdgeNode.Hal.Liveness;

/// <summary>A liveness check that missed its deadline.</summary>
/// <param name="Name">The check's name.</param>
/// <param name="Silent">How long since its last tick.</param>
/// <param name="Deadline">Its deadline.</param>
public readonly record struct StarvedCheck(string Name, TimeSpan Silent, TimeSpan Deadline);
