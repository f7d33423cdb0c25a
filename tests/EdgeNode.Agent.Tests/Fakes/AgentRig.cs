using EdgeNode.Agent.Diagnostics;
using EdgeNode.Agent.Lifecycle;
using EdgeNode.Agent.Link;
using EdgeNode.Agent.Platform;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Agent.Tests.Fakes;

/// <summary>
/// One agent's lifecycle parts over fakes and a <see cref="FakeTimeProvider"/>. A new rig over the same store and
/// journal is the same unit after a reboot. <see cref="AdvanceUntilAsync"/> moves fake time in steps until a
/// condition holds (real time only lets the loops' continuations run; bounded by a step count).
/// </summary>
internal sealed class AgentRig : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public AgentRig(IHubConnector hub, InMemoryDurableStore? store = null, InMemoryJournal? journal = null, FakeTimeProvider? time = null,
        BootReason bootReason = BootReason.FirstBoot, int seed = 1, TimeSpan? heartbeat = null, IStatusLights? lights = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        Store = store ?? new InMemoryDurableStore();
        Journal = journal ?? new InMemoryJournal(Time);
        Lights = lights ?? new RecordingLights();
        Boot = new FakeBoot(bootReason);
        Repository = new AgentStateRepository(Store);
        Desired = new DesiredStateSync(Repository, Supervisor, Journal, NullLogger<DesiredStateSync>.Instance);
        Freeze = new FreezeSwitch(Path.Combine(Path.GetTempPath(), $"edgenode-freeze-{Guid.NewGuid():N}"), Time, NullLogger<FreezeSwitch>.Instance);
        Commands = new CommandExecutor(Lights, Supervisor, Journal, NullLogger<CommandExecutor>.Instance);
        Options = new LinkLoopOptions
        {
            Enrollment = new HubCredentials(ScriptedHub.FleetIdentity, ScriptedHub.FleetKey),
            Model = "ipc-test",
            HardwareId = "hw-0001",
            Capacity = new Capacity { MemoryMb = 512, CpuMillis = 2000 },
            HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(10),
            RequestTimeout = TimeSpan.FromSeconds(20),
            ReconnectInitial = TimeSpan.FromSeconds(1),
            ReconnectMax = TimeSpan.FromSeconds(60),
            AgentVersion = "test",
        };
        Link = new LinkLoop(Options, hub, Repository, Desired, Journal, Supervisor, Status, Commands, Boot, new FakeMetrics(),
            Liveness.Register("link", TimeSpan.FromSeconds(60)), Freeze, Time, new Random(seed), NullLogger<LinkLoop>.Instance);
        Link.ReconnectScheduled += d => { lock (Delays) { Delays.Add(d); } };
        Leds = new LedLoop(Status, Supervisor, Lights, Liveness.Register("led", TimeSpan.FromSeconds(10)), Freeze, Time);
        SupervisorLoop = new SupervisorLoop(Supervisor, Liveness.Register("supervisor", TimeSpan.FromSeconds(60)), Freeze, Time, NullLogger<SupervisorLoop>.Instance);
        Runtime = new AgentRuntime(Status, Desired, Journal, Supervisor, Boot, Notifier, Link, SupervisorLoop, Leds, NullLogger<AgentRuntime>.Instance);
    }

    public FakeTimeProvider Time { get; }
    public InMemoryDurableStore Store { get; }
    public InMemoryJournal Journal { get; }
    public IStatusLights Lights { get; }
    public FakeBoot Boot { get; }
    public FakeSupervisor Supervisor { get; } = new();
    public FakeLiveness Liveness { get; } = new();
    public RecordingNotifier Notifier { get; } = new();
    public UnitStatus Status { get; } = new();
    public AgentStateRepository Repository { get; }
    public DesiredStateSync Desired { get; }
    public FreezeSwitch Freeze { get; }
    public CommandExecutor Commands { get; }
    public LinkLoopOptions Options { get; }
    public LinkLoop Link { get; }
    public LedLoop Leds { get; }
    public SupervisorLoop SupervisorLoop { get; }
    public AgentRuntime Runtime { get; }
    public List<TimeSpan> Delays { get; } = [];

    public Task StartAsync() => Runtime.StartAsync(CancellationToken.None);

    /// <summary>Advances fake time by <paramref name="step"/> until <paramref name="condition"/> holds; fails after <paramref name="maxSteps"/>.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan? step = null, int maxSteps = 2000)
    {
        var s = step ?? TimeSpan.FromMilliseconds(500);
        for (var i = 0; i < maxSteps; i++)
        {
            if (condition())
            {
                return;
            }

            // Let the loops' continuations run, then move the clock.
            for (var spin = 0; spin < 3; spin++)
            {
                await Task.Delay(1);
            }

            if (condition())
            {
                return;
            }

            Time.Advance(s);
        }

        Assert.Fail($"timed out waiting until {what} (after {maxSteps} steps of {s.TotalSeconds} s fake time)");
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        _stop.Dispose();
    }
}
