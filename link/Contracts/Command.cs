using ProtoBuf;

namespace EdgeNode.Link.Contracts;

[ProtoContract]
public sealed class Command
{
    [ProtoMember(1)] public ulong Id { get; set; }
    [ProtoMember(2)] public CommandKind Kind { get; set; }
    [ProtoMember(3)] public string App { get; set; } = "";
    [ProtoMember(4)] public uint DurationSeconds { get; set; }
    [ProtoMember(5)] public uint TailLines { get; set; }
}
