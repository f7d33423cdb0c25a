namespace EdgeNode.Hal.Leds;

/// <summary>
/// What the status LEDs show. The agent maps its unit state onto these (hal knows no protocol); Identify is an
/// overlay (<see cref="StatusLeds.Identify"/>), not a signal. docs/led-codes.md is the field card.
/// </summary>
public enum StatusSignal
{
    /// <summary>The agent is starting.</summary>
    Booting,
    /// <summary>Waiting for an operator to approve this unit at the hub.</summary>
    AwaitingEnrollment,
    /// <summary>Enrolled, hub reachable, all apps healthy.</summary>
    Online,
    /// <summary>Running, but an app failed or capacity is short (apps may be missing).</summary>
    Degraded,
    /// <summary>Apps still run; the uplink to the hub is down.</summary>
    HubUnreachable,
    /// <summary>The unit cannot do its job (engine gone, storage broken); needs a technician.</summary>
    Fault,
    /// <summary>Supply power is failing; the unit has flushed its state and stopped writing.</summary>
    PowerFail,
}
