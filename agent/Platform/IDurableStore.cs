namespace EdgeNode.Agent.Platform;

/// <summary>
/// Power-loss-safe named records (identity, last applied desired state, counters). Implemented over the HAL's
/// durable state store (atomic replace, two generations, CRC); an in-memory version serves unit tests.
/// </summary>
public interface IDurableStore
{
    bool TryLoad(string name, out byte[] data);

    /// <summary>Returns once the record is durable (fsync'd).</summary>
    void Save(string name, ReadOnlySpan<byte> data);
}
