using System.Text;
using EdgeNode.BudgetGuard.Budgets;

namespace EdgeNode.BudgetGuard.Guard;

/// <summary>The README's budget table: figure | budget | measured | command, filled from a real run.</summary>
public static class ReadmeTable
{
    public static string Render(IReadOnlyList<FigureOutcome> outcomes, DateTimeOffset when, string machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Budgets");
        sb.AppendLine();
        sb.AppendLine($"Measured {when:yyyy-MM-dd HH:mm} UTC on {machine} by `./bench.sh --check` (the budget guard; `./test.sh` runs it and fails when an asserted figure is over).");
        sb.AppendLine("Asserted figures (sizes, allocations, RSS, bytes on the wire) fail the build when over; reported figures (times, throughput, ratios against libcoap) are noisy on a shared machine and are shown with their goal. The limits live in `benchmarks/budgets.json`.");
        sb.AppendLine();
        sb.AppendLine("| figure | budget | measured | command |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var o in outcomes)
        {
            string budget = VerdictTable.Limit(o.Entry) + (o.Entry.Mode == BudgetMode.Report ? ", reported" : ", asserted");
            string measured = o.Result.Value is { } v ? ValueFormat.Format(v, o.Entry.Unit) : $"not measured: {o.Result.NotMeasuredReason}";
            if (o.Result.Notes.Count > 0)
            {
                measured += " (" + string.Join("; ", o.Result.Notes) + ")";
            }

            sb.AppendLine($"| {VerdictTable.Cell(o.Entry.Description)} | {VerdictTable.Cell(budget)} | {VerdictTable.Cell(measured)} | `{VerdictTable.Cell(o.Entry.Command)}` |");
        }

        return sb.ToString();
    }
}
