namespace EdgeNode.Hub.Fleet;

/// <summary>One active unit as the alert rules see it: status since when, and the apps its last heartbeat reports Failed.</summary>
public sealed record AlertSubject(string DeviceId, string? Tenant, string? Slot, DeviceStatus Status, long StatusSinceMs, IReadOnlyList<string> FailedApps);
