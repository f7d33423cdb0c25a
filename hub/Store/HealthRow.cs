using EdgeNode.Hub.Fleet;

namespace EdgeNode.Hub.Store;

/// <summary>One device's health as flushed to device_health.</summary>
public readonly record struct HealthRow(
    string DeviceId, DeviceStatus Status, long StatusSinceMs, long LastHeartbeatMs, byte[]? Heartbeat, byte[]? Report, long HeartbeatCount);
