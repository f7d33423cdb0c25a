namespace EdgeNode.Hal.Power;

/// <summary>One action run on power fail; <paramref name="Error"/> is null when it succeeded.</summary>
public sealed record PowerFailStep(string Name, TimeSpan Elapsed, string? Error);
