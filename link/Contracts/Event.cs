using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>One journal event. Sequence numbers are per device, strictly increasing, never reused.</summary>
[ProtoContract]
public sealed class Event
{
    [ProtoMember(1)] public ulong Sequence { get; set; }
    [ProtoMember(2)] public long TimeUnixMs { get; set; }
    [ProtoMember(3)] public EventKind Kind { get; set; }
    [ProtoMember(4)] public string App { get; set; } = "";
    [ProtoMember(5)] public string Detail { get; set; } = "";
}
