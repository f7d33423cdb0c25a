using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>POST /enroll, sent under the fleet enrollment PSK identity.</summary>
[ProtoContract]
public sealed class EnrollRequest
{
    [ProtoMember(1)] public string HardwareId { get; set; } = "";
    [ProtoMember(2)] public string Model { get; set; } = "";
    [ProtoMember(3)] public Capacity? Capacity { get; set; }
    /// <summary>Optional slot path (site/line/cell) the installer asked for.</summary>
    [ProtoMember(4)] public string SlotHint { get; set; } = "";
    /// <summary>Optional slot-scoped enrollment token: approves the unit without an operator.</summary>
    [ProtoMember(5)] public string EnrollmentToken { get; set; } = "";
    [ProtoMember(6)] public string AgentVersion { get; set; } = "";
}
