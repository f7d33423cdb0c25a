namespace EdgeNode.BudgetGuard.Probes;

/// <summary>Measures one figure named by a budget entry's <c>probe</c>. A probe never throws for a missing
/// prerequisite: it returns <see cref="ProbeResult.NotMeasured"/> with the reason.</summary>
public interface IProbe
{
    string Name { get; }

    Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken);
}
