using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>One app (container) as the hub wants it on a unit.</summary>
[ProtoContract]
public sealed class AppSpec
{
    [ProtoMember(1)] public string Name { get; set; } = "";
    [ProtoMember(2)] public string Image { get; set; } = "";
    [ProtoMember(3)] public List<string> Command { get; set; } = [];
    [ProtoMember(4)] public List<string> Entrypoint { get; set; } = [];
    [ProtoMember(5)] public List<KeyValue> Env { get; set; } = [];
    [ProtoMember(6)] public List<PortMapping> Ports { get; set; } = [];
    [ProtoMember(7)] public List<VolumeMount> Volumes { get; set; } = [];
    [ProtoMember(8)] public RestartPolicy Restart { get; set; }
    [ProtoMember(9)] public PullPolicy Pull { get; set; }
    [ProtoMember(10)] public ulong MemoryLimitBytes { get; set; }
    [ProtoMember(11)] public ulong MemoryReservationBytes { get; set; }
    /// <summary>CPU limit in thousandths of a core (0 = unlimited).</summary>
    [ProtoMember(12)] public uint CpuMillis { get; set; }
    [ProtoMember(13)] public List<KeyValue> Labels { get; set; } = [];
    [ProtoMember(14)] public HealthCheck? Health { get; set; }
    [ProtoMember(15)] public PriorityClass Priority { get; set; }
}
