using System.Text;
using EdgeNode.BudgetGuard.Budgets;

namespace EdgeNode.BudgetGuard.Guard;

/// <summary>Renders the guard's outcome as a Markdown table: figure | measured | limit | verdict | details.</summary>
public static class VerdictTable
{
    public static string Render(IReadOnlyList<FigureOutcome> outcomes, bool allowMissing)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| figure | measured | limit | verdict | details |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var o in outcomes)
        {
            string measured = o.Result.Value is { } v ? ValueFormat.Format(v, o.Entry.Unit) : "—";
            string limit = Limit(o.Entry);
            string verdict = o.Verdict switch
            {
                Verdict.Ok when o.Entry.Goal is { } goal && o.Result.Value > goal => $"ok (above goal by {ValueFormat.Format(o.Result.Value!.Value - goal, o.Entry.Unit)})",
                Verdict.Ok => "ok",
                Verdict.Over => $"**OVER** by {ValueFormat.Format(o.Result.Value!.Value - o.Entry.Limit, o.Entry.Unit)}",
                Verdict.NotMeasured => (allowMissing ? "not measured (allowed): " : "**NOT MEASURED**: ") + o.Result.NotMeasuredReason,
                Verdict.Reported => o.Result.Value <= o.Entry.Limit ? "reported (within goal)" : "reported (above goal)",
                _ => o.Verdict.ToString(),
            };
            string details = string.Join("; ", o.Result.Notes);
            sb.AppendLine($"| {Cell(o.Entry.Id)} | {Cell(measured)} | {Cell(limit)} | {Cell(verdict)} | {Cell(details)} |");
        }

        return sb.ToString();
    }

    /// <summary>"≤ 66 B (goal 64 B)" for an asserted figure, "goal ≤ 50 ms" for a reported one.</summary>
    internal static string Limit(BudgetEntry entry) => entry.Mode == BudgetMode.Report
        ? "goal ≤ " + ValueFormat.Format(entry.Limit, entry.Unit)
        : "≤ " + ValueFormat.Format(entry.Limit, entry.Unit) + (entry.Goal is { } g ? $" (goal {ValueFormat.Format(g, entry.Unit)})" : "");

    internal static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
