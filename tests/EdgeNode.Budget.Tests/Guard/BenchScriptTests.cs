using System.Diagnostics;

namespace EdgeNode.Budget.Tests.Guard;

/// <summary>The path ./test.sh takes: `./bench.sh --check` as a process, its exit code and its table.</summary>
public sealed class BenchScriptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task BenchCheck_TightenedBudget_ExitsNonZeroWithOffendingRow()
    {
        // A heartbeat datagram is 66 B: held to 60 B it is over.
        string budgets = GuardHarness.CopyWith(RepoPaths.Budgets, _temp.File("budgets.json"), "heartbeat-wire-plain", e =>
        {
            e["limit"] = 60;
            e.Remove("goal");
        });

        var (exitCode, output) = await RunBenchAsync(budgets, "--check", "--only", "heartbeat-wire-plain,heartbeat-encode-alloc");

        Assert.True(exitCode == 1, output);
        Assert.Contains("| heartbeat-wire-plain | ", output);
        Assert.Contains("| ≤ 60 B | **OVER** by ", output);
        Assert.Contains("| heartbeat-encode-alloc | 0 B | ≤ 0 B | ok |", output);
    }

    [Fact]
    public async Task BenchCheck_RealBudgets_CheapFiguresExitZero()
    {
        var (exitCode, output) = await RunBenchAsync(RepoPaths.Budgets, "--check", "--only", "heartbeat-decode-alloc,heartbeat-encode-alloc");

        Assert.True(exitCode == 0, output);
        Assert.Contains("budget guard: 2 asserted figures within budget", output);
    }

    [Fact]
    public async Task Bench_UnknownOption_ExitsTwo()
    {
        var (exitCode, output) = await RunBenchAsync(RepoPaths.Budgets, "--chek");

        Assert.Equal(2, exitCode);
        Assert.Contains("bench.sh: unknown option '--chek'", output);
    }

    public void Dispose() => _temp.Dispose();

    private static async Task<(int ExitCode, string Output)> RunBenchAsync(string budgets, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "bench.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["BUDGETS"] = budgets;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("bench.sh did not finish within 4 minutes");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
