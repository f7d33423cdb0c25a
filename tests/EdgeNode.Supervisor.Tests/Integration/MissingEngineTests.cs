using EdgeNode.Agent.Supervision;
using EdgeNode.Link.Contracts;
using EdgeNode.Supervisor.Tests.Support;
using Xunit.Abstractions;

namespace EdgeNode.Supervisor.Tests.Integration;

/// <summary>The real Docker adapter pointed at a socket with no engine behind it: the supervisor keeps running and says why.</summary>
public sealed class MissingEngineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_NoEngineAtEndpoint_ReportsEngineUnavailableAndKeepsTicking()
    {
        var options = new SupervisorOptions
        {
            DockerEndpoint = "unix:///tmp/edgenode-no-such-" + Guid.NewGuid().ToString("N") + ".sock",
            TickInterval = TimeSpan.FromMilliseconds(50),
            EngineRetryInterval = TimeSpan.FromMilliseconds(100),
        };
        using var supervisor = new ContainerSupervisor(options, new XunitLoggerFactory(output));
        await supervisor.ApplyAsync(Apps.State(1, Apps.Spec("a")));
        var ticks = 0;
        using var stop = new CancellationTokenSource();
        var loop = supervisor.RunAsync(() => Interlocked.Increment(ref ticks), stop.Token);

        await Poll.UntilAsync(() => !supervisor.Snapshot.EngineAvailable, TimeSpan.FromSeconds(20), "engine-unavailable");
        var seen = Volatile.Read(ref ticks);
        await Poll.UntilAsync(() => Volatile.Read(ref ticks) > seen + 5, TimeSpan.FromSeconds(20), "more ticks");
        Assert.Equal(["engine-unavailable"], supervisor.Snapshot.Degraded);
        Assert.True(supervisor.Events.TryRead(out var e));
        Assert.Equal(EventKind.Degraded, e.Kind);
        Assert.Equal("engine-unavailable", e.Detail);
        Assert.False(loop.IsCompleted);

        var action = await supervisor.ExecuteActionAsync(CommandKind.AppLogs, "a", 10);
        Assert.False(action.Ok);

        await stop.CancelAsync();
        await loop; // ends cleanly on cancellation
    }

    [Fact]
    public async Task ApplyAsync_InvalidState_RejectedAndPreviousKept()
    {
        using var supervisor = new ContainerSupervisor(new SupervisorOptions { DockerEndpoint = "unix:///tmp/none.sock" });
        await supervisor.ApplyAsync(Apps.State(1, Apps.Spec("a")));

        var e = await Assert.ThrowsAsync<InvalidDesiredStateException>(() => supervisor.ApplyAsync(Apps.State(2, Apps.Spec("a"), Apps.Spec("a"), Apps.Spec("Bad!"))));

        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("app 'a': name appears more than once", e.Message);
        var action = await supervisor.ExecuteActionAsync(CommandKind.AppStart, "a", 0); // still knows app a from generation 1
        Assert.DoesNotContain("not in the desired state", action.Message);
    }

    [Fact]
    public async Task RunAsync_BeforeAnyDesiredState_TouchesNothing()
    {
        var engine = new FakeEngine();
        using var supervisor = new ContainerSupervisor(new SupervisorOptions { TickInterval = TimeSpan.FromMilliseconds(10), ResyncPeriod = TimeSpan.FromMilliseconds(100) },
            engine, new EdgeNode.Agent.Supervision.Capacity.ProcMemoryProbe(), null, TimeProvider.System);
        var ticks = 0;
        using var stop = new CancellationTokenSource();
        var loop = supervisor.RunAsync(() => Interlocked.Increment(ref ticks), stop.Token);

        await Poll.UntilAsync(() => Volatile.Read(ref ticks) >= 30, TimeSpan.FromSeconds(20), "30 ticks (several resync periods)");
        Assert.DoesNotContain("list", engine.Calls);

        await supervisor.ApplyAsync(Apps.State(1));
        await Poll.UntilAsync(() => engine.Calls.Contains("list"), TimeSpan.FromSeconds(20), "a reconcile after the first desired state");
        await stop.CancelAsync();
        await loop;
    }
}
