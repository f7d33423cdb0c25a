using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>GET /ds: the slot's resolved desired state (block-wise when large).</summary>
[ProtoContract]
public sealed class DesiredState
{
    [ProtoMember(1)] public ulong Generation { get; set; }
    [ProtoMember(2)] public List<AppSpec> Apps { get; set; } = [];
}
