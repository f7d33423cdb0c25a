using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>The payload of every 4.xx/5.xx response that has one: a plain reason.</summary>
[ProtoContract]
public sealed class ErrorBody
{
    [ProtoMember(1)] public string Reason { get; set; } = "";
}
