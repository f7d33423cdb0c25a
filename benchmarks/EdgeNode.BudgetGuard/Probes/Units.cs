using EdgeNode.BudgetGuard.Budgets;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>Byte units the budget file may use. MB is 10^6 bytes, MiB is 2^20. A rate (kB/h, MB/h) is given to the
/// probe's converter in bytes per hour.</summary>
public static class Units
{
    public static double FromBytes(double bytes, string unit, string budgetId) => unit switch
    {
        "B" => bytes,
        "kB" or "kB/h" => bytes / 1e3,
        "KiB" => bytes / 1024d,
        "MB" or "MB/h" => bytes / 1e6,
        "MiB" => bytes / (1024d * 1024d),
        "GB" => bytes / 1e9,
        "GiB" => bytes / (1024d * 1024d * 1024d),
        _ => throw new BudgetFileException($"budget '{budgetId}': unit '{unit}' is not a byte unit (B, kB, KiB, MB, MiB, GB, GiB; kB/h and MB/h for a rate)"),
    };
}
