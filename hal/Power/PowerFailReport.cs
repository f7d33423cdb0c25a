namespace EdgeNode.Hal.Power;

/// <summary>What <see cref="PowerFailGuard.Trip"/> did and how long it took.</summary>
public sealed record PowerFailReport(string Reason, TimeSpan Elapsed, IReadOnlyList<PowerFailStep> Steps);
