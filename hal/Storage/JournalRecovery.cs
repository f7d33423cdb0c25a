namespace EdgeNode.Hal.Storage;

/// <summary>What opening the journal found.</summary>
/// <param name="Segments">Segment files read.</param>
/// <param name="Records">Complete, CRC-valid records kept.</param>
/// <param name="TruncatedBytes">Bytes of torn tails cut off (an interrupted append).</param>
/// <param name="SkippedBytes">Bytes of damaged records skipped in the middle of a segment (the records around them are kept).</param>
/// <param name="Pending">The sequences of the kept records not yet acknowledged, as runs "first-last" joined by commas
/// ("" when none): what was durable before the restart and must still be delivered.</param>
public readonly record struct JournalRecovery(int Segments, long Records, long TruncatedBytes, long SkippedBytes, string Pending = "");
