using System.Globalization;

namespace EdgeNode.BudgetGuard.Guard;

/// <summary>Formats a figure with its unit: whole numbers stay whole ("43 B"), others get two decimals ("12.34 MB").</summary>
public static class ValueFormat
{
    public static string Format(double value, string unit)
    {
        string number = value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("N0", CultureInfo.InvariantCulture)
            : Math.Abs(value) < 0.01
                ? value.ToString("0.####", CultureInfo.InvariantCulture)
                : value.ToString("N2", CultureInfo.InvariantCulture);
        return unit == "x" ? $"{number}×" : $"{number} {unit}";
    }
}
