using EdgeNode.Hub.Fleet;

namespace EdgeNode.Hub.Alerts;

/// <summary>The wire names of <see cref="AlertKind"/>.</summary>
public static class AlertKinds
{
    public static string Name(AlertKind kind) => kind switch
    {
        AlertKind.DeviceOffline => "device-offline",
        AlertKind.DeviceDegraded => "device-degraded",
        AlertKind.AppFailed => "app-failed",
        _ => "rollout-halted",
    };

    public static AlertKind Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "device-offline" => AlertKind.DeviceOffline,
        "device-degraded" => AlertKind.DeviceDegraded,
        "app-failed" => AlertKind.AppFailed,
        "rollout-halted" => AlertKind.RolloutHalted,
        _ => throw FleetException.Invalid($"unknown alert kind '{name}' (device-offline, device-degraded, app-failed, rollout-halted)"),
    };
}
