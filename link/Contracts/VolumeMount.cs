using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>A bind mount (Source is an absolute host path) or a named volume.</summary>
[ProtoContract]
public sealed class VolumeMount
{
    [ProtoMember(1)] public string Source { get; set; } = "";
    [ProtoMember(2)] public string Target { get; set; } = "";
    [ProtoMember(3)] public bool ReadOnly { get; set; }
}
