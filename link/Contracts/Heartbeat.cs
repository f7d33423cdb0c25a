using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>
/// POST /hb, every interval (with jitter). Kept small on purpose (goal: one datagram of at most 64 bytes plain).
/// App states are packed by index into the applied desired state's app list:
/// each value is <c>phase | restarts &lt;&lt; 4</c> (see <see cref="AppStateCode"/>).
/// </summary>
[ProtoContract]
public sealed class Heartbeat
{
    [ProtoMember(1)] public uint Sequence { get; set; }
    [ProtoMember(2)] public uint UptimeSeconds { get; set; }
    [ProtoMember(3)] public UnitState State { get; set; }
    [ProtoMember(4)] public BootReason BootReason { get; set; }
    /// <summary>CPU load, 0–1000 per mille of the unit.</summary>
    [ProtoMember(5)] public uint CpuPermille { get; set; }
    [ProtoMember(6)] public uint MemoryUsedMb { get; set; }
    [ProtoMember(7)] public uint DiskFreeMb { get; set; }
    /// <summary>Temperature in °C, when the unit has a sensor (absent = 0 = unknown).</summary>
    [ProtoMember(8)] public int TemperatureC { get; set; }
    [ProtoMember(9, IsPacked = true)] public List<uint> AppStates { get; set; } = [];
    /// <summary>Machine-readable degraded reasons, e.g. "engine-unavailable", "capacity-short:web".</summary>
    [ProtoMember(10)] public List<string> Degraded { get; set; } = [];
    [ProtoMember(11)] public ulong AppliedGeneration { get; set; }
    /// <summary>Highest journal sequence the unit holds (so the hub knows events are waiting).</summary>
    [ProtoMember(12)] public ulong LastEventSequence { get; set; }
}
