namespace EdgeNode.Hal.Storage;

/// <summary>What <see cref="Journal.Append"/> did.</summary>
/// <param name="Sequence">The record's sequence number.</param>
/// <param name="IsDurable">True when the record was fsynced before returning (critical records, or an earlier
/// fsync covered it). Otherwise the next group commit makes it durable (<see cref="Journal.DurableSequence"/>).</param>
public readonly record struct AppendResult(ulong Sequence, bool IsDurable);
