namespace EdgeNode.BudgetGuard.Budgets;

/// <summary>Whether a figure fails the guard when it is over its limit, or is only measured and reported.</summary>
public enum BudgetMode
{
    /// <summary>A stable figure (size, allocation, RSS, bytes on the wire): over the limit fails <c>--check</c>.</summary>
    Assert,

    /// <summary>A noisy figure (latency, throughput, ratio against a peer): measured and shown, never failing.</summary>
    Report,
}
