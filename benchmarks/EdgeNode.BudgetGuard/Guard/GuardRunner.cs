using System.Diagnostics;
using EdgeNode.BudgetGuard.Budgets;
using EdgeNode.BudgetGuard.Probes;

namespace EdgeNode.BudgetGuard.Guard;

/// <summary>
/// Loads the budget file, runs each selected entry's probe, judges it and prints the verdict table.
/// Exit codes: 0 all asserted figures within budget; 1 a figure over budget or not measured (without
/// <c>--allow-missing</c>); 2 bad command line or budget file.
/// </summary>
public sealed class GuardRunner(ProbeCatalog catalog, TextWriter output, TextWriter log)
{
    public const int ExitOk = 0;
    public const int ExitOverBudget = 1;
    public const int ExitUsage = 2;

    public static async Task<int> MainAsync(string[] args, TextWriter output, TextWriter log, CancellationToken cancellationToken = default)
    {
        var options = GuardOptions.TryParse(args, Directory.GetCurrentDirectory(), out string? error);
        if (options is null)
        {
            await log.WriteLineAsync($"budget guard: {error}\n{GuardOptions.Usage}");
            return ExitUsage;
        }

        return (await new GuardRunner(ProbeCatalog.Default, output, log).RunAsync(options, cancellationToken)).ExitCode;
    }

    public async Task<GuardResult> RunAsync(GuardOptions options, CancellationToken cancellationToken = default)
    {
        BudgetFile file;
        try
        {
            file = BudgetFileReader.Load(options.BudgetsPath, catalog.Names);
        }
        catch (BudgetFileException e)
        {
            await log.WriteLineAsync($"budget guard: {e.Message}");
            return new GuardResult(ExitUsage, []);
        }

        if (options.Only is { } only && only.FirstOrDefault(id => file.Entries.All(e => e.Id != id)) is { } unknown)
        {
            await log.WriteLineAsync($"budget guard: --only names '{unknown}', which is not in {file.Path}");
            return new GuardResult(ExitUsage, []);
        }

        var outcomes = new List<FigureOutcome>();
        foreach (var entry in file.Entries)
        {
            if ((options.Only is not null && !options.Only.Contains(entry.Id)) || (options.AssertedOnly && entry.Mode != BudgetMode.Assert))
            {
                continue;
            }

            outcomes.Add(await MeasureAsync(entry, options.RepoRoot, cancellationToken));
        }

        string table = VerdictTable.Render(outcomes, options.AllowMissing);
        await output.WriteLineAsync(table);
        if (options.TablePath is { } tablePath)
        {
            await WriteAsync(tablePath, table, cancellationToken);
        }

        if (options.ReadmePath is { } readmePath)
        {
            await WriteAsync(readmePath, ReadmeTable.Render(outcomes, DateTimeOffset.UtcNow, MachineDescription()), cancellationToken);
        }

        var failing = outcomes.Where(o => o.Fails(options.AllowMissing)).ToList();
        if (failing.Count == 0)
        {
            await output.WriteLineAsync($"budget guard: {outcomes.Count(o => o.Verdict == Verdict.Ok)} asserted figures within budget, " +
                $"{outcomes.Count(o => o.Verdict == Verdict.Reported)} reported, {outcomes.Count(o => o.Verdict == Verdict.NotMeasured)} not measured");
            return new GuardResult(ExitOk, outcomes);
        }

        await output.WriteLineAsync($"budget guard: FAILED: {string.Join(", ", failing.Select(o => $"{o.Entry.Id} ({(o.Verdict == Verdict.Over ? "over budget" : "not measured")})"))}");
        return new GuardResult(ExitOverBudget, outcomes);
    }

    private async Task<FigureOutcome> MeasureAsync(BudgetEntry entry, string repoRoot, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await log.WriteLineAsync($"budget guard: measuring {entry.Id} ({entry.Probe}) ...");
        ProbeResult result;
        try
        {
            result = await catalog[entry.Probe].MeasureAsync(new ProbeContext(repoRoot, entry, log), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A probe that breaks is a figure we do not have: never a silent pass.
            result = ProbeResult.NotMeasured($"probe '{entry.Probe}' failed: {e.GetType().Name}: {e.Message}");
        }

        var outcome = new FigureOutcome(entry, result, FigureOutcome.Judge(entry, result), stopwatch.Elapsed);
        await log.WriteLineAsync($"budget guard: {entry.Id}: {(result.Value is { } v ? ValueFormat.Format(v, entry.Unit) : "not measured: " + result.NotMeasuredReason)} ({stopwatch.Elapsed.TotalSeconds:F1} s)");
        return outcome;
    }

    private static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, cancellationToken);
    }

    private static string MachineDescription()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }

        return $"{Environment.ProcessorCount} cores ({cpu}), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
