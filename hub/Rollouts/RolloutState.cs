namespace EdgeNode.Hub.Rollouts;

/// <summary>A rollout's life: Running (a wave soaking) ⇄ Paused; then Completed, Halted (gate failed), Aborted or RolledBack.</summary>
public enum RolloutState
{
    Running,
    Paused,
    /// <summary>A health gate failed and the updated slots were kept (auto-rollback off): roll back or abort.</summary>
    Halted,
    Completed,
    /// <summary>Stopped by an operator; updated slots keep the new generation.</summary>
    Aborted,
    /// <summary>Every updated slot was moved back to its previous generation (gate failure with auto-rollback, or operator).</summary>
    RolledBack,
}
