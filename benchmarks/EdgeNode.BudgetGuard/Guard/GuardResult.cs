namespace EdgeNode.BudgetGuard.Guard;

/// <summary>What a guard run decided: its exit code and every row of its table.</summary>
public sealed record GuardResult(int ExitCode, IReadOnlyList<FigureOutcome> Outcomes);
