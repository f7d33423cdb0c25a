namespace EdgeNode.Hub.Fleet;

/// <summary>What the hub believes about a device's health, from its heartbeats.</summary>
public enum DeviceStatus
{
    /// <summary>Approved, but no heartbeat has been received yet.</summary>
    Unknown = 0,
    Online = 1,
    /// <summary>Heartbeating, but the unit reports degraded reasons (or a Degraded/Fault state).</summary>
    Degraded = 2,
    /// <summary>No heartbeat within the offline timeout (3 × the heartbeat interval by default).</summary>
    Offline = 3,
    /// <summary>Replaced by another unit (swap) or revoked: its key no longer works.</summary>
    Retired = 4,
}
