using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>A container health check, as Docker's HEALTHCHECK (Test is CMD-SHELL or CMD form).</summary>
[ProtoContract]
public sealed class HealthCheck
{
    [ProtoMember(1)] public List<string> Test { get; set; } = [];
    [ProtoMember(2)] public uint IntervalMs { get; set; }
    [ProtoMember(3)] public uint TimeoutMs { get; set; }
    [ProtoMember(4)] public uint Retries { get; set; }
    [ProtoMember(5)] public uint StartPeriodMs { get; set; }
}
