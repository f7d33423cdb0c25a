namespace EdgeNode.Hub.Rollouts;

public enum RolloutSlotState
{
    /// <summary>Its wave has not started: the slot still has its previous state.</summary>
    Pending,
    /// <summary>Moved to the new generation; soaking behind the health gate.</summary>
    Updating,
    Passed,
    Failed,
    RolledBack,
}
