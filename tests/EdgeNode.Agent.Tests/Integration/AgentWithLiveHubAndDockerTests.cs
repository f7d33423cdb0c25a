using System.Diagnostics;
using EdgeNode.Agent.Platform;
using EdgeNode.Agent.Platform.Hal;
using EdgeNode.Agent.Supervision;
using EdgeNode.Hal.Gpio;
using EdgeNode.Hal.Leds;
using EdgeNode.Hal.Profile;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Agent.Tests.Integration;

/// <summary>
/// The agent with the real container supervisor on the real Docker Engine (scripts/start-dockerd.sh; image
/// edgenode/busybox:test), the real hub over DTLS, and the HAL LED engine on the simulated GPIO driver: the hub's
/// desired state becomes a running container, and the operator's identify and app restart reach the unit.
/// </summary>
public sealed class AgentWithLiveHubAndDockerTests : IAsyncLifetime
{
    private const string Slot = "plant-d/line1/cell1";
    private readonly LiveHub _hub = new();
    private readonly string _state = Path.Combine(Path.GetTempPath(), "edgenode-agent-docker-" + Guid.NewGuid().ToString("N"));
    private readonly string _scope = "agtest" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        await _hub.StartAsync();
        await _hub.ApplySpecAsync(Slot, "edgenode/busybox:test");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Docker($"ps -aq --filter label=io.edgenode.scope={_scope}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToList()
            .ForEach(id => Docker($"rm -f {id}"));
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task HubDesiredState_RunsContainer_IdentifyBlinksLeds_RestartReachesApp()
    {
        var time = TimeProvider.System;
        var driver = new SimulatedGpioDriver(time);
        var profile = HardwareProfile.Parse("""
            { "model": "t", "gpioChip": "gpiochip0", "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 } } }
            """u8, "test-profile");
        using var leds = StatusLeds.FromProfile(profile, GpioAccess.OpenSimulated(driver), time);
        using var containers = new ContainerSupervisor(new SupervisorOptions
        {
            Scope = _scope,
            ImageCacheDirectory = Path.Combine(_state, "image-cache"),
            MemoryBudgetBytes = 512UL << 20,
            CpuBudgetMillis = 1000,
            OsReserveMemoryBytes = 0,
            OsReserveCpuMillis = 0,
            StopTimeout = TimeSpan.FromSeconds(1),
        }, NullLoggerFactory.Instance, time);
        var supervisor = new ContainerSupervisorAdapter(containers);

        await using var agent = new LiveAgent(_state, _hub.CoapsPort, supervisor, "hw-docker-1", new HalStatusLights(leds));
        await agent.StartAsync();
        string? deviceId = null;
        await Eventually.HoldsAsync(async () => (deviceId = await _hub.TryApproveAsync("hw-docker-1", Slot)) is not null, "pending request at the hub");

        // The desired state from the hub runs as a container of ours.
        await Eventually.HoldsAsync(() => supervisor.Snapshot().Apps.Any(a => a.Name == "ticker" && a.Phase == AppPhase.Running && a.ContainerId.Length > 0), "ticker running", TimeSpan.FromSeconds(90));
        var containerId = supervisor.Snapshot().Apps.Single(a => a.Name == "ticker").ContainerId;
        Assert.False(string.IsNullOrEmpty(containerId), "the snapshot names the container");
        Assert.Equal("true", Docker($"inspect -f {{{{.State.Running}}}} {containerId}").Trim());
        await Eventually.HoldsAsync(() => leds.Signal == StatusSignal.Online, "LEDs online");

        // Identify from the operator: the LED engine blinks green and red in opposite phase.
        driver.ClearTimeline();
        await _hub.PostAsync($"/api/devices/{deviceId}/identify", new { seconds = 20 });
        await Eventually.HoldsAsync(() => leds.IsIdentifying, "identify overlay on");
        await Eventually.HoldsAsync(() => driver.Timeline.Count(c => c.Line == 1) >= 4, "red line blinking");
        var lines = driver.Timeline.ToArray();
        Assert.True(lines.Count(c => c.Line == 0) >= 3, "green line blinks too");
        Assert.Contains("fast-blink", leds.Describe(), StringComparison.Ordinal);

        // App restart from the operator reaches the container: same app, a new start.
        var startedBefore = Docker($"inspect -f {{{{.State.StartedAt}}}} {containerId}").Trim();
        var command = await _hub.PostAsync($"/api/devices/{deviceId}/apps/ticker/restart", new { });
        var commandId = command.GetProperty("id").GetInt64();
        await Eventually.HoldsAsync(async () =>
        {
            var c = await _hub.GetAsync($"/api/commands/{commandId}");
            return c.GetProperty("state").GetString() == "Done";
        }, "the restart command answered", TimeSpan.FromSeconds(60));
        var done = await _hub.GetAsync($"/api/commands/{commandId}");
        Assert.True(done.GetProperty("ok").GetBoolean(), done.GetProperty("message").GetString());
        Assert.NotEqual(startedBefore, Docker($"inspect -f {{{{.State.StartedAt}}}} {containerId}").Trim());
    }

    private static string Docker(string args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : $"docker {args} failed ({p.ExitCode}): {error}";
    }
}
