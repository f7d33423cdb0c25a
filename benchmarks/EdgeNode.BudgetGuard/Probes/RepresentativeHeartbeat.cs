using EdgeNode.Link.Contracts;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>The heartbeat every wire/allocation probe measures: a unit 30 days up, online, running 5 apps
/// (one with restarts), no degraded reasons, realistic counters. Change it only on purpose: the budgets
/// are calibrated against it.</summary>
public static class RepresentativeHeartbeat
{
    /// <summary>A device id in the hub's format ("d-" and 12 hex digits), used as the plain-CoAP query and the PSK identity.</summary>
    public const string DeviceId = "d-3f9a0c12b7e4";

    public static Heartbeat Create() => new()
    {
        Sequence = 43_200,
        UptimeSeconds = 30 * 86_400,
        State = UnitState.Online,
        BootReason = BootReason.CleanStop,
        CpuPermille = 237,
        MemoryUsedMb = 412,
        DiskFreeMb = 20_480,
        TemperatureC = 47,
        AppStates =
        [
            AppStateCode.Pack(AppPhase.Running, 0),
            AppStateCode.Pack(AppPhase.Running, 0),
            AppStateCode.Pack(AppPhase.Running, 3),
            AppStateCode.Pack(AppPhase.Running, 0),
            AppStateCode.Pack(AppPhase.Running, 0),
        ],
        AppliedGeneration = 42,
        LastEventSequence = 100_000,
    };
}
