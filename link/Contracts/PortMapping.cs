using ProtoBuf;

namespace EdgeNode.Link.Contracts;

[ProtoContract]
public sealed class PortMapping
{
    [ProtoMember(1)] public uint HostPort { get; set; }
    [ProtoMember(2)] public uint ContainerPort { get; set; }
    /// <summary>"tcp" (default when empty) or "udp".</summary>
    [ProtoMember(3)] public string Protocol { get; set; } = "";
    /// <summary>Host address to bind; empty means all.</summary>
    [ProtoMember(4)] public string HostIp { get; set; } = "";
}
