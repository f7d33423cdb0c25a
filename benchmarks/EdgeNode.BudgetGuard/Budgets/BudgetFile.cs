namespace EdgeNode.BudgetGuard.Budgets;

/// <summary>The parsed, validated budget file.</summary>
public sealed record BudgetFile(string Path, IReadOnlyList<BudgetEntry> Entries);
