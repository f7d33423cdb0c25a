using EdgeNode.BudgetGuard.Guard;

namespace EdgeNode.Budget.Tests.Guard;

public sealed class GuardOptionsTests
{
    /// <summary>A bad command line and the error it must give.</summary>
    public static readonly TheoryData<string[], string> BadArguments = new()
    {
        // an option the guard does not have
        { ["--fast"], "unknown option '--fast'" },
        // --only without its list
        { ["--only"], "--only needs a comma-separated list of budget ids" },
        // --budgets without its file
        { ["--budgets"], "--budgets needs a file" },
        // --readme without its file
        { ["--readme"], "--readme needs a file" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void TryParse_BadArguments_NullWithError(string[] args, string error)
    {
        Assert.Null(GuardOptions.TryParse(args, "/repo", out string? message));
        Assert.Equal(error, message);
    }

    [Fact]
    public void TryParse_NoArguments_RepoBudgetFileAndStrict()
    {
        var options = GuardOptions.TryParse([], "/repo", out _)!;

        Assert.Equal("/repo/benchmarks/budgets.json", options.BudgetsPath);
        Assert.False(options.AllowMissing);
        Assert.Null(options.Only);
    }

    [Fact]
    public void TryParse_OnlyAndAllowMissing_Parsed()
    {
        var options = GuardOptions.TryParse(["--only", "a, b", "--allow-missing", "--budgets", "x.json"], "/repo", out _)!;

        Assert.Equal(new HashSet<string> { "a", "b" }, options.Only);
        Assert.True(options.AllowMissing);
        Assert.Equal("/repo/x.json", options.BudgetsPath);
    }
}
