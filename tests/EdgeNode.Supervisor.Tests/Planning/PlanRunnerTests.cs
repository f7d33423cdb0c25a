using EdgeNode.Agent.Supervision;
using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Images;
using EdgeNode.Agent.Supervision.Planning;
using EdgeNode.Supervisor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Supervisor.Tests.Planning;

public sealed class PlanRunnerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<string> _log = [];
    private readonly PlanRunner _runner;
    private readonly CommandContext _context = new(new FakeEngine(), new ImageCache("/nonexistent"), new SupervisorOptions(), NullLogger.Instance);

    public PlanRunnerTests() => _runner = new PlanRunner(_time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), NullLogger.Instance);

    private static Plan PlanOf(params ICommand[] commands) => new([.. commands], [], [], null);

    [Fact]
    public async Task Run_AllSucceed_RunsInOrderPerApp()
    {
        var a1 = new ScriptedCommand("a1", "a", _log);
        var a2 = new ScriptedCommand("a2", "a", _log);
        var b1 = new ScriptedCommand("b1", "b", _log);
        var outcomes = await _runner.RunAsync(PlanOf(a1, b1, a2), _context, CancellationToken.None);
        Assert.All(outcomes, o => Assert.Equal(CommandOutcomeKind.Succeeded, o.Kind));
        Assert.Equal(["a1", "b1", "a2"], outcomes.Select(o => o.Command.Id)); // outcomes in plan order
        Assert.True(_log.IndexOf("a1") < _log.IndexOf("a2"));
        Assert.Null(_runner.NextRetryAt);
    }

    [Fact]
    public async Task Run_CommandFails_SkipsTheAppsLaterStepsButNotOtherApps()
    {
        var a1 = new ScriptedCommand("a1", "a", _log) { FailuresLeft = 1 };
        var a2 = new ScriptedCommand("a2", "a", _log);
        var b1 = new ScriptedCommand("b1", "b", _log);
        var outcomes = await _runner.RunAsync(PlanOf(a1, a2, b1), _context, CancellationToken.None);
        Assert.Equal([CommandOutcomeKind.Failed, CommandOutcomeKind.Skipped, CommandOutcomeKind.Succeeded], outcomes.Select(o => o.Kind));
        Assert.Equal("scripted failure", outcomes[0].Error!.Message);
        Assert.DoesNotContain("a2", _log);
        Assert.Equal(_time.GetUtcNow().AddSeconds(1), _runner.NextRetryAt);
    }

    [Fact]
    public async Task Run_FailedCommandSameId_DeferredUntilBackoffThenRetried()
    {
        var a1 = new ScriptedCommand("a1", "a", _log) { FailuresLeft = 2 };
        var plan = PlanOf(a1);
        await _runner.RunAsync(plan, _context, CancellationToken.None);           // fails: retry after 1 s
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(CommandOutcomeKind.Deferred, (await _runner.RunAsync(plan, _context, CancellationToken.None))[0].Kind);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(CommandOutcomeKind.Failed, (await _runner.RunAsync(plan, _context, CancellationToken.None))[0].Kind); // 2nd failure: 2 s
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CommandOutcomeKind.Deferred, (await _runner.RunAsync(plan, _context, CancellationToken.None))[0].Kind);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CommandOutcomeKind.Succeeded, (await _runner.RunAsync(plan, _context, CancellationToken.None))[0].Kind);
        Assert.Equal(3, _log.Count);
        Assert.Null(_runner.NextRetryAt);
    }

    [Fact]
    public async Task Run_CommandNoLongerPlanned_RetryStateForgotten()
    {
        var a1 = new ScriptedCommand("a1", "a", _log) { FailuresLeft = 1 };
        await _runner.RunAsync(PlanOf(a1), _context, CancellationToken.None);
        await _runner.RunAsync(PlanOf(), _context, CancellationToken.None);
        Assert.Null(_runner.NextRetryAt);
        Assert.Equal(CommandOutcomeKind.Succeeded, (await _runner.RunAsync(PlanOf(a1), _context, CancellationToken.None))[0].Kind);
    }

    [Fact]
    public async Task NextRetryAt_StepSkippedBehindAFailure_OnlyFutureDeadlinesCount()
    {
        var a2 = new ScriptedCommand("a2", "a", _log) { FailuresLeft = 1 };
        await _runner.RunAsync(PlanOf(a2), _context, CancellationToken.None); // a2 retry at +1 s
        _time.Advance(TimeSpan.FromSeconds(2));
        var a1 = new ScriptedCommand("a1", "a", _log) { FailuresLeft = 1 };
        var outcomes = await _runner.RunAsync(PlanOf(a1, a2), _context, CancellationToken.None); // a1 fails, a2 skipped
        Assert.Equal(CommandOutcomeKind.Skipped, outcomes[1].Kind);
        Assert.Equal(_time.GetUtcNow().AddSeconds(1), _runner.NextRetryAt); // a1's deadline, not a2's expired one
    }

    [Fact]
    public async Task Forget_App_RetriesAtOnce()
    {
        var a1 = new ScriptedCommand("a1", "a", _log) { FailuresLeft = 1 };
        await _runner.RunAsync(PlanOf(a1), _context, CancellationToken.None);
        _runner.Forget("a");
        Assert.Equal(CommandOutcomeKind.Succeeded, (await _runner.RunAsync(PlanOf(a1), _context, CancellationToken.None))[0].Kind);
    }

    [Fact]
    public async Task Run_EngineUnavailable_AbortsThePlan()
    {
        var a1 = new ScriptedCommand("a1", "a", _log) { FailuresLeft = 1, Failure = new EngineUnavailableException("socket gone") };
        await Assert.ThrowsAsync<EngineUnavailableException>(() => _runner.RunAsync(PlanOf(a1), _context, CancellationToken.None));
    }

    [Theory]
    [InlineData(1, 1000)]  // base
    [InlineData(2, 2000)]  // doubled
    [InlineData(3, 4000)]  // capped at 4 s
    [InlineData(40, 4000)] // no overflow
    public void Backoff_DoublesUpToCap(int failures, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), _runner.Backoff(failures));
    }
}
