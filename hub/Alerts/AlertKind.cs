namespace EdgeNode.Hub.Alerts;

/// <summary>What a rule watches. On the API: device-offline, device-degraded, app-failed, rollout-halted.</summary>
public enum AlertKind
{
    /// <summary>A unit Offline for at least the threshold.</summary>
    DeviceOffline,
    /// <summary>A unit Degraded for at least the threshold.</summary>
    DeviceDegraded,
    /// <summary>An app reported Failed (crash loop) for at least the threshold.</summary>
    AppFailed,
    /// <summary>A rollout halted by its health gate (threshold unused).</summary>
    RolloutHalted,
}
