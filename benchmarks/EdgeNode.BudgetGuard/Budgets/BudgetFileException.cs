namespace EdgeNode.BudgetGuard.Budgets;

/// <summary>The budget file is missing, is not JSON, or has an entry that is incomplete or inconsistent.
/// The message names the file, the entry and the reason.</summary>
public sealed class BudgetFileException(string message, Exception? inner = null) : Exception(message, inner);
