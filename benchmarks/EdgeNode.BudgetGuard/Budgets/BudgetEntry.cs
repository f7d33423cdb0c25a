namespace EdgeNode.BudgetGuard.Budgets;

/// <summary>
/// One guarded (or reported) figure from <c>benchmarks/budgets.json</c>.
/// </summary>
/// <param name="Id">Stable identifier, used by <c>--only</c> and in the verdict table.</param>
/// <param name="Description">What the figure is, in plain words (the README's "figure" column).</param>
/// <param name="Limit">The budget: the measured value must be at most this, in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of <paramref name="Limit"/> and of the measured value (B, MB, ms, x, ...).</param>
/// <param name="Mode">Assert (fails the guard when over) or report (shown only).</param>
/// <param name="Probe">Name of the probe that measures it (see <see cref="Probes.ProbeCatalog"/>).</param>
/// <param name="Measure">How the probe measures it, in plain words.</param>
/// <param name="Command">The command that reproduces the figure.</param>
/// <param name="Parameters">Probe parameters (paths, iteration counts, ...), all strings.</param>
/// <param name="Goal">Optional target below the asserted <paramref name="Limit"/> (a ceiling that stops regressions
/// while the goal is not yet met); shown, never failing.</param>
public sealed record BudgetEntry(
    string Id,
    string Description,
    double Limit,
    string Unit,
    BudgetMode Mode,
    string Probe,
    string Measure,
    string Command,
    IReadOnlyDictionary<string, string> Parameters,
    double? Goal = null);
