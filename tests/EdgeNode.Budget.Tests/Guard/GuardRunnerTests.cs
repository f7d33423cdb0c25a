using EdgeNode.BudgetGuard.Guard;
using EdgeNode.BudgetGuard.Probes;

namespace EdgeNode.Budget.Tests.Guard;

/// <summary>The guard against the real budget file, and against copies with one budget tightened or one
/// prerequisite removed: a guard that cannot fail guards nothing.</summary>
public sealed class GuardRunnerTests : IDisposable
{
    /// <summary>The cheap, in-process figures (no AOT binary, no processes): they must pass on every build.</summary>
    public static readonly TheoryData<string> CheapFigures = new()
    {
        "heartbeat-encode-alloc",
        "heartbeat-decode-alloc",
        "heartbeat-datagram-encode-alloc",
        "heartbeat-datagram-decode-alloc",
        "heartbeat-wire-plain",
        "heartbeat-wire-dtls",
    };

    /// <summary>Cheap figures whose measurement is above zero, so a limit below it exists.</summary>
    public static readonly TheoryData<string> TightenableFigures = new()
    {
        "heartbeat-wire-plain",
        "heartbeat-wire-dtls",
    };

    private readonly TempDirectory _temp = new();

    [Theory]
    [MemberData(nameof(CheapFigures))]
    public async Task Guard_RealBudgetFile_CheapFigureWithinBudget(string id)
    {
        var run = await GuardHarness.RunAsync(RepoPaths.Budgets, null, "--only", id);

        Assert.True(run.ExitCode == GuardRunner.ExitOk, run.Output + run.Log);
        var row = run.Row(id);
        Assert.Equal(Verdict.Ok, row.Verdict);
        Assert.True(row.Result.Value <= row.Entry.Limit);
        Assert.Contains($"| {id} | {ValueFormat.Format(row.Result.Value!.Value, row.Entry.Unit)} | ≤ {ValueFormat.Format(row.Entry.Limit, row.Entry.Unit)}", run.Output);
        Assert.Contains("| ok", run.Output);
    }

    [Theory]
    [MemberData(nameof(TightenableFigures))]
    public async Task Guard_BudgetTightenedBelowMeasured_FailsWithOffendingRow(string id)
    {
        // Measure with the real file first, then put the limit just below what was measured.
        var real = await GuardHarness.RunAsync(RepoPaths.Budgets, null, "--only", id);
        Assert.Equal(GuardRunner.ExitOk, real.ExitCode);
        double measured = real.Row(id).Result.Value!.Value;
        Assert.True(measured > 0, $"{id} measured {measured}: pick a figure above zero to tighten");
        double tightened = Math.Floor(measured / 2);
        string budgets = GuardHarness.CopyWith(RepoPaths.Budgets, _temp.File("budgets.json"), id, e =>
        {
            e["limit"] = tightened;
            e.Remove("goal");
        });

        var run = await GuardHarness.RunAsync(budgets, null, "--only", id);

        Assert.Equal(GuardRunner.ExitOverBudget, run.ExitCode);
        var row = run.Row(id);
        Assert.Equal(Verdict.Over, row.Verdict);
        string unit = row.Entry.Unit;
        Assert.Contains($"| {id} | {ValueFormat.Format(row.Result.Value!.Value, unit)} | ≤ {ValueFormat.Format(tightened, unit)} | **OVER** by ", run.Output);
        Assert.Contains($"budget guard: FAILED: {id} (over budget)", run.Output);
    }

    [Fact]
    public async Task Guard_AllocationBudgetAtZero_FailsForAnAllocatingOperation()
    {
        // A decode into a fresh message allocates the message and its lists: held to 0 it must fail.
        string budgets = GuardHarness.CopyWith(RepoPaths.Budgets, _temp.File("budgets.json"), "heartbeat-decode-alloc", e =>
        {
            e["parameters"]!["figure"] = "decode-fresh-alloc";
            e["limit"] = 0;
            e["goal"] = 0;
        });

        var run = await GuardHarness.RunAsync(budgets, null, "--only", "heartbeat-decode-alloc");

        Assert.Equal(GuardRunner.ExitOverBudget, run.ExitCode);
        Assert.Contains("| heartbeat-decode-alloc | ", run.Output);
        Assert.Contains("| ≤ 0 B (goal 0 B) | **OVER** by ", run.Output);
    }

    [Fact]
    public async Task Guard_WithinLimitAboveGoal_PassesAndSaysSo()
    {
        string budgets = GuardHarness.CopyWith(RepoPaths.Budgets, _temp.File("budgets.json"), "heartbeat-wire-dtls", e =>
        {
            e["limit"] = 200;
            e["goal"] = 10;
        });

        var run = await GuardHarness.RunAsync(budgets, null, "--only", "heartbeat-wire-dtls");

        Assert.Equal(GuardRunner.ExitOk, run.ExitCode);
        Assert.Contains("| ≤ 200 B (goal 10 B) | ok (above goal by ", run.Output);
    }

    [Fact]
    public async Task Guard_PrerequisiteMissing_FailsUnlessAllowMissing()
    {
        string budgets = GuardHarness.CopyWith(RepoPaths.Budgets, _temp.File("budgets.json"), "agent-binary-size",
            e => e["parameters"]!["path"] = _temp.File("no-such-agent"));

        var strict = await GuardHarness.RunAsync(budgets, null, "--only", "agent-binary-size");
        var allowed = await GuardHarness.RunAsync(budgets, null, "--only", "agent-binary-size", "--allow-missing");

        Assert.Equal(GuardRunner.ExitOverBudget, strict.ExitCode);
        Assert.Equal(Verdict.NotMeasured, strict.Row("agent-binary-size").Verdict);
        Assert.Contains("**NOT MEASURED**: ", strict.Output);
        Assert.Contains("no-such-agent does not exist (produced by scripts/publish-agent.sh)", strict.Output);
        Assert.Contains("budget guard: FAILED: agent-binary-size (not measured)", strict.Output);

        Assert.Equal(GuardRunner.ExitOk, allowed.ExitCode);
        Assert.Contains("not measured (allowed): ", allowed.Output);
    }

    [Fact]
    public async Task Guard_FileOverSizeBudget_FailsAndWithinBudget_Passes()
    {
        // The file-size probe on a file we control: 3,000 bytes against 2 kB (over) and 4 kB (within).
        string file = _temp.File("agent-stand-in");
        await File.WriteAllBytesAsync(file, new byte[3_000]);
        string over = GuardHarness.CopyWith(RepoPaths.Budgets, _temp.File("over.json"), "agent-binary-size", e =>
        {
            e["parameters"]!["path"] = file;
            e["unit"] = "kB";
            e["limit"] = 2;
            e.AsObject().Remove("goal");
        });
        string within = GuardHarness.CopyWith(over, _temp.File("within.json"), "agent-binary-size", e => e["limit"] = 4);

        var overRun = await GuardHarness.RunAsync(over, null, "--only", "agent-binary-size");
        var withinRun = await GuardHarness.RunAsync(within, null, "--only", "agent-binary-size");

        Assert.Equal(GuardRunner.ExitOverBudget, overRun.ExitCode);
        Assert.Contains("| agent-binary-size | 3 kB | ≤ 2 kB | **OVER** by 1 kB |", overRun.Output);
        Assert.Equal(GuardRunner.ExitOk, withinRun.ExitCode);
        Assert.Contains("| agent-binary-size | 3 kB | ≤ 4 kB | ok |", withinRun.Output);
    }

    [Fact]
    public async Task Guard_ProbeThrows_NotMeasuredAndFails()
    {
        var catalog = ProbeCatalog.Default.With(new ThrowingProbe("file-size"));

        var run = await GuardHarness.RunAsync(RepoPaths.Budgets, catalog, "--only", "agent-binary-size");

        Assert.Equal(GuardRunner.ExitOverBudget, run.ExitCode);
        Assert.Contains("probe 'file-size' failed: InvalidOperationException: probe broke on purpose", run.Output);
    }

    [Fact]
    public async Task Guard_ReportedFigureAboveGoal_DoesNotFail()
    {
        string budgets = GuardHarness.CopyWith(RepoPaths.Budgets, _temp.File("budgets.json"), "heartbeat-decode-alloc", e =>
        {
            e["parameters"]!["figure"] = "decode-fresh-alloc";
            e["mode"] = "report";
            e["limit"] = 0;
            e.Remove("goal");
        });

        var run = await GuardHarness.RunAsync(budgets, null, "--only", "heartbeat-decode-alloc");

        Assert.Equal(GuardRunner.ExitOk, run.ExitCode);
        Assert.Equal(Verdict.Reported, run.Row("heartbeat-decode-alloc").Verdict);
        Assert.Contains("| goal ≤ 0 B | reported (above goal) |", run.Output);
    }

    [Fact]
    public async Task Guard_OnlyNamesUnknownId_UsageError()
    {
        var run = await GuardHarness.RunAsync(RepoPaths.Budgets, null, "--only", "no-such-figure");

        Assert.Equal(GuardRunner.ExitUsage, run.ExitCode);
        Assert.Contains("--only names 'no-such-figure', which is not in", run.Log);
    }

    [Fact]
    public async Task Guard_ReadmeOption_WritesBudgetTableWithCommands()
    {
        string readme = _temp.File("README-budgets.md");

        var run = await GuardHarness.RunAsync(RepoPaths.Budgets, null, "--only", "heartbeat-encode-alloc", "--readme", readme);

        Assert.Equal(GuardRunner.ExitOk, run.ExitCode);
        string text = await File.ReadAllTextAsync(readme);
        Assert.Contains("| figure | budget | measured | command |", text);
        Assert.Contains("| ≤ 0 B, asserted | 0 B (", text);
        Assert.Contains("`./bench.sh --check --only heartbeat-encode-alloc` |", text);
    }

    public void Dispose() => _temp.Dispose();

    private sealed class ThrowingProbe(string name) : IProbe
    {
        public string Name => name;

        public Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("probe broke on purpose");
    }
}
