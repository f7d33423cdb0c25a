namespace EdgeNode.Hal.Storage;

/// <summary>A record read back from the journal.</summary>
/// <param name="Sequence">Its sequence number (strictly increasing, never reused; gaps are possible).</param>
/// <param name="Flags">Its flags.</param>
/// <param name="Payload">Its bytes (CRC-checked).</param>
public readonly record struct JournalRecord(ulong Sequence, JournalRecordFlags Flags, ReadOnlyMemory<byte> Payload)
{
    /// <summary>True for critical records.</summary>
    public bool IsCritical => (Flags & JournalRecordFlags.Critical) != 0;
}
