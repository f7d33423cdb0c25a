using ProtoBuf;

namespace EdgeNode.Link.Contracts;

[ProtoContract]
public sealed class RegisterResponse
{
    [ProtoMember(1)] public ulong DesiredGeneration { get; set; }
    [ProtoMember(2)] public uint HeartbeatIntervalSeconds { get; set; }
    [ProtoMember(3)] public string Slot { get; set; } = "";
    /// <summary>The highest event sequence the hub already holds for this device.</summary>
    [ProtoMember(4)] public ulong EventsAckedThrough { get; set; }
}
