using EdgeNode.BudgetGuard.Budgets;
using EdgeNode.BudgetGuard.Probes;

namespace EdgeNode.BudgetGuard.Guard;

/// <summary>One row of the verdict table: the entry, what its probe found, the verdict and how long it took.</summary>
public sealed record FigureOutcome(BudgetEntry Entry, ProbeResult Result, Verdict Verdict, TimeSpan Elapsed)
{
    public bool Fails(bool allowMissing) => Verdict switch
    {
        Verdict.Over => true,
        Verdict.NotMeasured => !allowMissing,
        _ => false,
    };

    public static Verdict Judge(BudgetEntry entry, ProbeResult result)
    {
        if (!result.IsMeasured)
        {
            return Verdict.NotMeasured;
        }

        if (entry.Mode == BudgetMode.Report)
        {
            return Verdict.Reported;
        }

        return result.Value!.Value <= entry.Limit ? Verdict.Ok : Verdict.Over;
    }
}
