using System.IO.Hashing;

namespace EdgeNode.Hal.Storage;

/// <summary>CRC-32 (IEEE) over one or two spans.</summary>
internal static class Crc
{
    public static uint Compute(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b = default)
    {
        var crc = new Crc32();
        crc.Append(a);
        if (!b.IsEmpty) crc.Append(b);
        return crc.GetCurrentHashAsUInt32();
    }
}
