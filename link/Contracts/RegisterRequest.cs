using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>POST /reg: once per boot, under the device's own PSK identity.</summary>
[ProtoContract]
public sealed class RegisterRequest
{
    [ProtoMember(1)] public BootReason BootReason { get; set; }
    [ProtoMember(2)] public string AgentVersion { get; set; } = "";
    [ProtoMember(3)] public ulong AppliedGeneration { get; set; }
    [ProtoMember(4)] public Capacity? Capacity { get; set; }
    [ProtoMember(5)] public string HardwareId { get; set; } = "";
    [ProtoMember(6)] public string Model { get; set; } = "";
    /// <summary>Boot counter kept by the unit (increments every boot).</summary>
    [ProtoMember(7)] public uint BootCount { get; set; }
}
