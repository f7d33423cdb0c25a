using EdgeNode.Agent.Configuration;
using EdgeNode.Agent.Diagnostics;
using EdgeNode.Agent.Lifecycle;
using EdgeNode.Agent.Link;
using EdgeNode.Agent.Platform;
using EdgeNode.Agent.Platform.Hal;
using EdgeNode.Agent.Tests.Fakes;
using EdgeNode.Hal.Boot;
using EdgeNode.Hal.Storage;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Agent.Tests.Integration;

/// <summary>
/// An agent made of the production parts (CoAP/DTLS connector, HAL durable store, journal and boot detector on real
/// files, real time) except the supervisor (given) and the LEDs (recorded). A new LiveAgent on the same state
/// directory is the same unit after a restart.
/// </summary>
internal sealed class LiveAgent : IAsyncDisposable
{
    private readonly HalEventJournal _journal;

    public LiveAgent(string stateDirectory, int hubPort, IAppSupervisor supervisor, string hardwareId = "hw-live-1", IStatusLights? lights = null)
    {
        StateDirectory = stateDirectory;
        Supervisor = supervisor;
        Lights = lights ?? new RecordingLights();
        var time = TimeProvider.System;
        Store = new HalDurableStore(Path.Combine(stateDirectory, "state"));
        _journal = new HalEventJournal(EdgeNode.Hal.Storage.Journal.Open(Path.Combine(stateDirectory, "journal"), new JournalOptions(), time), time);
        Boot = new HalBootReasonSource(new BootReasonDetector(stateDirectory), watchdogReset: false);
        Repository = new AgentStateRepository(Store);
        Desired = new DesiredStateSync(Repository, supervisor, _journal, NullLogger<DesiredStateSync>.Instance);
        var freeze = new FreezeSwitch(Path.Combine(stateDirectory, "freeze-never"), time, NullLogger<FreezeSwitch>.Instance);
        var liveness = new FakeLiveness();
        var connector = new CoapHubConnector([new HubEndpoint("127.0.0.1", hubPort)], plainCoap: false, null, null, time, NullLogger<CoapHubConnector>.Instance);
        var options = new LinkLoopOptions
        {
            Enrollment = new HubCredentials(LiveHub.EnrollIdentity, LiveHub.EnrollKey),
            Model = "agent-test",
            HardwareId = hardwareId,
            Capacity = new Capacity { MemoryMb = 256, CpuMillis = 1000 },
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            RequestTimeout = TimeSpan.FromSeconds(10),
            ReconnectInitial = TimeSpan.FromMilliseconds(200),
            ReconnectMax = TimeSpan.FromSeconds(1),
            EnrollPollDefault = TimeSpan.FromMilliseconds(500),
            AgentVersion = "test",
        };
        var commands = new CommandExecutor(Lights, supervisor, _journal, NullLogger<CommandExecutor>.Instance);
        var link = new LinkLoop(options, connector, Repository, Desired, _journal, supervisor, Status, commands, Boot, new FakeMetrics(),
            liveness.Register("link", TimeSpan.FromMinutes(1)), freeze, time, new Random(), NullLogger<LinkLoop>.Instance);
        var leds = new LedLoop(Status, supervisor, Lights, liveness.Register("led", TimeSpan.FromMinutes(1)), freeze, time);
        var supervisorLoop = new SupervisorLoop(supervisor, liveness.Register("supervisor", TimeSpan.FromMinutes(1)), freeze, time, NullLogger<SupervisorLoop>.Instance);
        Runtime = new AgentRuntime(Status, Desired, _journal, supervisor, Boot, new RecordingNotifier(), link, supervisorLoop, leds, NullLogger<AgentRuntime>.Instance);
    }

    public string StateDirectory { get; }
    public IAppSupervisor Supervisor { get; }
    public HalDurableStore Store { get; }
    public IEventJournal Journal => _journal;
    public HalBootReasonSource Boot { get; }
    public AgentStateRepository Repository { get; }
    public DesiredStateSync Desired { get; }
    public UnitStatus Status { get; } = new();
    public IStatusLights Lights { get; }
    public AgentRuntime Runtime { get; }

    public Task StartAsync() => Runtime.StartAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        _journal.Dispose();
    }
}
