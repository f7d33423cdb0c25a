using EdgeNode.Agent.Supervision;
using EdgeNode.Agent.Supervision.Healing;
using EdgeNode.Agent.Supervision.Planning;

namespace EdgeNode.Supervisor.Tests.Healing;

public sealed class CrashLoopPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly SupervisorOptions Options = new()
    {
        RestartBackoffBase = TimeSpan.FromSeconds(1),
        RestartBackoffCap = TimeSpan.FromSeconds(5),
        CrashLoopRestarts = 3,
        CrashLoopWindow = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public void RecordFailure_FirstCrash_RestartsImmediately()
    {
        var s = CrashLoopPolicy.RecordFailure(AppRuntimeState.Fresh("h"), 2, T0, Options);
        Assert.Equal(T0, s.NextRestartAt);
        Assert.Equal(2, s.LastExitCode);
        Assert.False(s.Failed);
    }

    [Fact]
    public void RecordFailure_RepeatedCrashes_BackoffDoublesThenFailed()
    {
        var s = AppRuntimeState.Fresh("h");
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var at = T0.AddSeconds(i * 10);
            s = CrashLoopPolicy.RecordFailure(s, 1, at, Options);
            delays.Add(s.NextRestartAt!.Value - at);
        }
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], delays);
        s = CrashLoopPolicy.RecordFailure(s, 7, T0.AddSeconds(30), Options); // 4th crash > 3 restarts
        Assert.True(s.Failed);
        Assert.Null(s.NextRestartAt);
        Assert.Equal(7, s.LastExitCode);
    }

    [Fact]
    public void RecordFailure_OldCrashesOutsideWindow_Forgotten()
    {
        var s = AppRuntimeState.Fresh("h");
        for (var i = 0; i < 3; i++) s = CrashLoopPolicy.RecordFailure(s, 1, T0.AddSeconds(i), Options);
        s = CrashLoopPolicy.RecordFailure(s, 1, T0.AddMinutes(5), Options);
        Assert.False(s.Failed);
        Assert.Single(s.Failures);
        Assert.Equal(T0.AddMinutes(5), s.NextRestartAt); // immediate again
    }

    [Fact]
    public void RecordFailure_UnhealthyWithoutExitCode_KeepsLastExitCode()
    {
        var s = AppRuntimeState.Fresh("h") with { LastExitCode = 4 };
        Assert.Equal(4, CrashLoopPolicy.RecordFailure(s, null, T0, Options).LastExitCode);
    }

    [Theory]
    [InlineData(1, 0)]     // first: immediate
    [InlineData(2, 1000)]  // base
    [InlineData(4, 4000)]  // base * 4
    [InlineData(5, 5000)]  // capped
    [InlineData(99, 5000)] // capped, no overflow
    public void Delay_ExponentialWithCap(int failureCount, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), CrashLoopPolicy.Delay(failureCount, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
    }
}
