using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>What a unit can give its apps, after what the OS needs.</summary>
[ProtoContract]
public sealed class Capacity
{
    [ProtoMember(1)] public uint MemoryMb { get; set; }
    /// <summary>CPU budget in thousandths of a core (2000 = two cores).</summary>
    [ProtoMember(2)] public uint CpuMillis { get; set; }
    [ProtoMember(3)] public uint DiskMb { get; set; }
}
