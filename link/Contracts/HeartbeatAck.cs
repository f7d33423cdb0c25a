using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>The piggybacked answer to a heartbeat.</summary>
[ProtoContract]
public sealed class HeartbeatAck
{
    /// <summary>The slot's current desired generation. Fetch GET /ds when it differs from the applied one.</summary>
    [ProtoMember(1)] public ulong DesiredGeneration { get; set; }
    /// <summary>When non-zero, the interval the hub wants from now on.</summary>
    [ProtoMember(2)] public uint HeartbeatIntervalSeconds { get; set; }
    [ProtoMember(3)] public List<Command> Commands { get; set; } = [];
    [ProtoMember(4)] public ulong EventsAckedThrough { get; set; }
}
