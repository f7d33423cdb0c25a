namespace EdgeNode.Link.Contracts;

/// <summary>The unit's state as the agent reports it (drives the LEDs and the hub's view).</summary>
public enum UnitState
{
    Booting = 0,
    AwaitingEnrollment = 1,
    Online = 2,
    Degraded = 3,
    HubUnreachable = 4,
    Fault = 5,
}
