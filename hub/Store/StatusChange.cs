using EdgeNode.Hub.Fleet;

namespace EdgeNode.Hub.Store;

/// <summary>A device status transition, recorded as an event with its time.</summary>
public readonly record struct StatusChange(string DeviceId, long TimeMs, DeviceStatus From, DeviceStatus To, string Reason);
