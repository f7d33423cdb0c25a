using System.Text.Json.Nodes;
using EdgeNode.BudgetGuard.Guard;
using EdgeNode.BudgetGuard.Probes;

namespace EdgeNode.Budget.Tests.Guard;

/// <summary>Runs the guard in-process against a budget file and captures its table and log.</summary>
internal static class GuardHarness
{
    public sealed record Run(GuardResult Result, string Output, string Log)
    {
        public int ExitCode => Result.ExitCode;

        public FigureOutcome Row(string id) => Result.Outcomes.Single(o => o.Entry.Id == id);
    }

    public static async Task<Run> RunAsync(string budgets, ProbeCatalog? catalog = null, params string[] extra)
    {
        var output = new StringWriter();
        var log = new StringWriter();
        var options = GuardOptions.TryParse(["--budgets", budgets, "--repo", RepoPaths.Root, .. extra], RepoPaths.Root, out string? error)
            ?? throw new ArgumentException(error);
        var result = await new GuardRunner(catalog ?? ProbeCatalog.Default, output, log).RunAsync(options);
        return new Run(result, output.ToString(), log.ToString());
    }

    /// <summary>Writes a copy of <paramref name="source"/> with one entry changed by <paramref name="edit"/>.</summary>
    public static string CopyWith(string source, string destination, string id, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(source), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var entry = root["budgets"]!.AsArray().Single(e => (string?)e!["id"] == id)!.AsObject();
        edit(entry);
        File.WriteAllText(destination, root.ToJsonString());
        return destination;
    }
}
