namespace EdgeNode.BudgetGuard.Probes;

/// <summary>What a probe found: a value in the budget's unit (plus notes such as the parts it is made of and
/// ratios against a peer), or the reason it could not measure.</summary>
public sealed record ProbeResult(double? Value, string? NotMeasuredReason, IReadOnlyList<string> Notes)
{
    public static ProbeResult Measured(double value, params string[] notes) => new(value, null, notes);

    public static ProbeResult NotMeasured(string reason, params string[] notes) => new(null, reason, notes);

    public bool IsMeasured => Value.HasValue;
}
