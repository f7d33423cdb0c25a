namespace EdgeNode.Hal.Storage;

/// <summary>What opening the journal found.</summary>
/// <param name="Segments">Segment files read.</param>
/// <param name="Records">Complete, CRC-valid records kept.</param>
/// <param name="TruncatedBytes">Bytes of torn tails cut off (an interrupted append).</param>
/// <param name="SkippedBytes">Bytes of damaged records skipped in the middle of a segment (the records around them are kept).</param>
public readonly record struct JournalRecovery(int Segments, long Records, long TruncatedBytes, long SkippedBytes);
