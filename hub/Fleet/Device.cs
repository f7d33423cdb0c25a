using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Fleet;

/// <summary>
/// One unit's identity and live health. Identity fields change under the registry lock; health fields
/// change under <c>lock(device)</c> on the heartbeat path.
/// </summary>
public sealed class Device
{
    public required string Id { get; init; }
    public required string HardwareId { get; init; }
    public string Model { get; set; } = "";
    public required byte[] Psk { get; init; }
    public long CreatedMs { get; init; }
    public long EnrollmentId { get; init; }
    public Capacity? Capacity { get; set; }

    public string? SlotPath { get; set; }
    public Slot? Slot { get; set; }

    public bool Retired { get; set; }
    public long RetiredMs { get; set; }
    public string RetiredReason { get; set; } = "";

    /// <summary>True once the unit has spoken with its own identity: enrollment then stops handing out its key.</summary>
    public bool Claimed { get; set; }
    public string AgentVersion { get; set; } = "";
    public uint BootCount { get; set; }

    /// <summary>The boot reason of the latest registration (stored in <c>devices.boot_reason</c>) or heartbeat; Unknown
    /// until the unit has registered (the view then falls back to the stored heartbeat's).</summary>
    public BootReason BootReason { get; set; }
    public long RegisteredMs { get; set; }

    // ---- health (lock(this)) ----
    public DeviceStatus Status { get; set; }
    public long StatusSinceMs { get; set; }
    public long LastHeartbeatMs { get; set; }
    public Heartbeat? LastHeartbeat { get; set; }
    public StatusReport? LastReport { get; set; }
    public ulong LastEventSequence { get; set; }
    public long HeartbeatCount { get; set; }

    /// <summary>Set when health changed since the last flush to the store.</summary>
    public bool Dirty { get; set; }

    /// <summary>Commands not yet answered by the unit, oldest first.</summary>
    public List<CommandRecord> Outstanding { get; } = [];

    public DeviceStatus EffectiveStatus => Retired ? DeviceStatus.Retired : Status;
}
