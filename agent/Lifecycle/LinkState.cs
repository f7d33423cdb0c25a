namespace EdgeNode.Agent.Lifecycle;

/// <summary>Where the link loop is: drives the unit state together with the supervisor's degraded reasons.</summary>
public enum LinkState
{
    Starting = 0,
    AwaitingEnrollment = 1,
    Connected = 2,
    Unreachable = 3,
    /// <summary>The hub refuses this unit (identity revoked/unknown, enrollment rejected).</summary>
    Refused = 4,
}
