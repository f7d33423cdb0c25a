namespace EdgeNode.BudgetGuard.Guard;

/// <summary>The guard's judgement on one figure.</summary>
public enum Verdict
{
    /// <summary>Asserted and within its limit.</summary>
    Ok,

    /// <summary>Asserted and over its limit: fails the guard.</summary>
    Over,

    /// <summary>A prerequisite is missing (or the probe failed): fails the guard unless <c>--allow-missing</c>.</summary>
    NotMeasured,

    /// <summary>A noisy figure: shown with its goal, never failing.</summary>
    Reported,
}
