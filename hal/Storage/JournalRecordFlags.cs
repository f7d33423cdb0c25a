namespace EdgeNode.Hal.Storage;

/// <summary>Per-record flags stored in the frame.</summary>
[Flags]
public enum JournalRecordFlags : uint
{
    /// <summary>An ordinary record: made durable by the next group commit, dropped first when the journal is full.</summary>
    None = 0,
    /// <summary>fsynced before <see cref="Journal.Append"/> returns; kept when non-critical records can be dropped.</summary>
    Critical = 1,
}
