using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>POST /st (block-wise when large): full per-app detail, sent when something changed.</summary>
[ProtoContract]
public sealed class StatusReport
{
    [ProtoMember(1)] public List<AppReport> Apps { get; set; } = [];
    [ProtoMember(2)] public List<string> Degraded { get; set; } = [];
    [ProtoMember(3)] public ulong AppliedGeneration { get; set; }
    [ProtoMember(4)] public UnitState State { get; set; }
    [ProtoMember(5)] public long TimeUnixMs { get; set; }
}
