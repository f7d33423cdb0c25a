using ProtoBuf;

namespace EdgeNode.Link.Contracts;

[ProtoContract]
public sealed class EventAck
{
    /// <summary>Every event with a sequence up to and including this one is stored by the hub.</summary>
    [ProtoMember(1)] public ulong AckedThrough { get; set; }
}
