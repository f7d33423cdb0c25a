using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>POST /ev: events in sequence order. The hub stores each (device, sequence) once.</summary>
[ProtoContract]
public sealed class EventBatch
{
    [ProtoMember(1)] public List<Event> Events { get; set; } = [];
}
