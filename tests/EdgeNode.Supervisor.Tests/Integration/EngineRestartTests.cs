using System.Diagnostics;
using EdgeNode.Link.Contracts;
using EdgeNode.Supervisor.Tests.Support;
using Xunit.Abstractions;

namespace EdgeNode.Supervisor.Tests.Integration;

/// <summary>
/// Stops the real dockerd under a running supervisor and starts it again (with --live-restore, as the factory image runs
/// it). Runs alone; dockerd is started again in every case (finally + dispose).
/// </summary>
[Collection(EngineRestartCollection.Name)]
public sealed class EngineRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => Dockerd.EnsureRunningAsync();

    public Task DisposeAsync() => Dockerd.EnsureRunningAsync();

    [Fact]
    public async Task DockerdStoppedAndStarted_SupervisorSurvives_ReportsEngineUnavailable_ThenReconciles()
    {
        await using var h = new SupervisorHarness(output);
        h.Start(Apps.State(1, Apps.Spec("victim"), Apps.Spec("survivor", PriorityClass.Critical)));
        await h.WaitAsync(s => SupervisorHarness.AllRunning(s, "victim", "survivor"), "apps running");
        var victim = await h.InspectAsync("victim");
        var survivor = await h.InspectAsync("survivor");

        try
        {
            await Dockerd.StopAsync();

            var down = await h.WaitAsync(s => !s.EngineAvailable, "engine-unavailable reported");
            Assert.Contains("engine-unavailable", down.Degraded);
            Assert.Contains(h.EventsOf(EventKind.Degraded), e => e.Detail.Contains("engine-unavailable"));
            var ticks = h.Ticks;
            await Poll.UntilAsync(() => h.Ticks >= ticks + 3, SupervisorHarness.Deadline, "liveness ticks while the engine is down");

            // The app dies while the daemon is away: with --live-restore no die event will ever tell us.
            using (var kill = Process.Start("kill", ["-KILL", victim.State.Pid.ToString()])) await kill.WaitForExitAsync();
            await Poll.UntilAsync(() => !Directory.Exists($"/proc/{victim.State.Pid}"), SupervisorHarness.Deadline, "the victim's process gone");
        }
        finally
        {
            await Dockerd.EnsureRunningAsync();
        }

        var back = await h.WaitAsync(s => s.EngineAvailable && !s.IsDegraded && s.App("victim") is { Phase: AppPhase.Running, Restarts: >= 1 },
            "engine back, victim restarted by the re-list", TimeSpan.FromSeconds(60));
        Assert.Empty(back.Degraded);
        var victimAfter = await h.InspectAsync("victim");
        Assert.True(victimAfter.State.Running);
        Assert.NotEqual(victim.State.StartedAt, victimAfter.State.StartedAt);
        var survivorAfter = await h.InspectAsync("survivor");
        Assert.True(survivorAfter.State.Running);
        Assert.Equal(survivor.State.StartedAt, survivorAfter.State.StartedAt); // live-restore kept it; we adopted it
        Assert.NotEmpty(h.EventsOf(EventKind.Recovered));
    }
}
