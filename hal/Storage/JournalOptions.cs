namespace EdgeNode.Hal.Storage;

/// <summary>Settings for <see cref="Journal"/>.</summary>
public sealed record JournalOptions
{
    /// <summary>Group commit: a non-critical record is fsynced at most this long after it was appended.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The bound on disk. Above it the oldest acknowledged records go first, then the oldest
    /// non-critical ones (counted in <see cref="Journal.DroppedRecords"/>), and critical ones only as a last resort
    /// (<see cref="Journal.DroppedCriticalRecords"/>). The active segment may overshoot by one record.</summary>
    public long MaxBytes { get; init; } = 8L << 20;

    /// <summary>Segment size: the unit of deletion and compaction.</summary>
    public long SegmentBytes { get; init; } = 256L << 10;

    /// <summary>The largest payload accepted (at most <see cref="Journal.MaxRecordBytesLimit"/>).</summary>
    public int MaxRecordBytes { get; init; } = 64 << 10;

    internal void Validate()
    {
        if (CommitInterval <= TimeSpan.Zero) throw new ArgumentException($"journal: CommitInterval {CommitInterval} must be positive");
        if (MaxRecordBytes < 1 || MaxRecordBytes > Journal.MaxRecordBytesLimit)
            throw new ArgumentException($"journal: MaxRecordBytes {MaxRecordBytes} must be 1..{Journal.MaxRecordBytesLimit}");
        if (SegmentBytes < Journal.HeaderSize + MaxRecordBytes)
            throw new ArgumentException($"journal: SegmentBytes {SegmentBytes} must hold at least one record of MaxRecordBytes ({MaxRecordBytes})");
        if (MaxBytes < 2 * SegmentBytes)
            throw new ArgumentException($"journal: MaxBytes {MaxBytes} must be at least two segments ({2 * SegmentBytes})");
    }
}
