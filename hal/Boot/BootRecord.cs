namespace EdgeNode.Hal.Boot;

/// <summary>What <see cref="BootReasonDetector.Detect"/> found.</summary>
/// <param name="Reason">Why this start happened.</param>
/// <param name="StartCount">Starts of the agent on this disk, including this one.</param>
/// <param name="PreviousBootId">The kernel boot id recorded at the previous start, if any.</param>
public sealed record BootRecord(BootReason Reason, ulong StartCount, string? PreviousBootId);
