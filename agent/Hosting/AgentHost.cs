using System.Runtime.InteropServices;
using EdgeNode.Agent.Configuration;
using EdgeNode.Agent.Diagnostics;
using EdgeNode.Agent.Lifecycle;
using EdgeNode.Agent.Link;
using EdgeNode.Agent.Platform;
using EdgeNode.Agent.Platform.Hal;
using EdgeNode.Agent.Supervision;
using EdgeNode.Agent.Telemetry;
using EdgeNode.Hal.Profile;
using EdgeNode.Link.Contracts;
using EdgeNode.Link.Dtls;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Hosting;

/// <summary>
/// The agent's composition root and lifetime (no Microsoft.Extensions.Hosting: the generic host costs
/// binary size and resident memory the unit does not need; see agent/README.md). <see cref="Create"/> wires the HAL
/// platform, the supervisor, the hub link and the loops; <see cref="RunAsync"/> starts them (READY=1 once the
/// persisted state is applied and the loops run), starts the watchdog feeder, and on SIGTERM/SIGINT stops cleanly
/// (STOPPING=1, clean-stop marker, watchdog magic close). A loop that dies ends the process with 70 (74 for storage
/// errors) so that systemd restarts the agent.
/// </summary>
public sealed partial class AgentHost : IAsyncDisposable
{
    private readonly HalPlatform _platform;
    private readonly ContainerSupervisorAdapter _supervisor;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    private AgentHost(HalPlatform platform, ContainerSupervisorAdapter supervisor, AgentRuntime runtime, TimeProvider time, ILoggerFactory loggers)
    {
        _platform = platform;
        _supervisor = supervisor;
        Runtime = runtime;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<AgentHost>();
    }

    public AgentRuntime Runtime { get; }

    public HalPlatform Platform => _platform;

    /// <summary>Wires every part. Throws IOException/UnauthorizedAccessException when the state cannot be opened.</summary>
    public static AgentHost Create(AgentConfig config, HardwareProfile profile, bool simulateHardware, TextWriter console, ILoggerFactory loggers, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var random = Random.Shared;
        var platform = new HalPlatform(config, profile, simulateHardware, time, loggers, console);
        try
        {
            var supervisor = new ContainerSupervisorAdapter(new ContainerSupervisor(new SupervisorOptions
            {
                DockerEndpoint = config.DockerEndpoint.ToString(),
                ImageCacheDirectory = config.ImageCacheDirectory,
                Scope = config.ContainerScope,
                MemoryBudgetBytes = (ulong)config.CapacityMemoryMb << 20,
                CpuBudgetMillis = (uint)config.CapacityCpuMillis,
                OsReserveMemoryBytes = 0, // agent.json's capacity is already what the apps may use
                OsReserveCpuMillis = 0,
            }, loggers, time));

            var connector = new CoapHubConnector(config.HubEndpoints, config.PlainCoap, null,
                new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(10) }, time, loggers.CreateLogger<CoapHubConnector>());
            var status = new UnitStatus();
            var repository = new AgentStateRepository(platform.Store);
            var desired = new DesiredStateSync(repository, supervisor, platform.Journal, loggers.CreateLogger<DesiredStateSync>());
            var commands = new CommandExecutor(platform.Lights, supervisor, platform.Journal, loggers.CreateLogger<CommandExecutor>());
            var freeze = new FreezeSwitch(config.FreezeFlagPath, time, loggers.CreateLogger<FreezeSwitch>());
            var options = new LinkLoopOptions
            {
                Enrollment = new HubCredentials(config.EnrollmentIdentity, config.EnrollmentKey),
                Model = config.Model,
                HardwareId = repository.ResolveHardwareId(config.HardwareId),
                SlotHint = config.SlotHint,
                EnrollmentToken = config.EnrollmentToken,
                Capacity = new Capacity { MemoryMb = (uint)config.CapacityMemoryMb, CpuMillis = (uint)config.CapacityCpuMillis, DiskMb = (uint)config.CapacityDiskMb },
                HeartbeatInterval = config.HeartbeatInterval,
                RequestTimeout = config.RequestTimeout,
                ReconnectInitial = config.ReconnectInitial,
                ReconnectMax = config.ReconnectMax,
                PlainCoap = config.PlainCoap,
                AgentVersion = AgentVersion.Text,
            };
            var link = new LinkLoop(options, connector, repository, desired, platform.Journal, supervisor, status, commands, platform.Boot,
                new ProcUnitMetrics(config.StateDirectory), platform.Liveness.Register("link loop", config.LoopDeadline), freeze, time, random,
                loggers.CreateLogger<LinkLoop>());
            var supervisorLoop = new SupervisorLoop(supervisor, platform.Liveness.Register("supervisor loop", config.LoopDeadline), freeze, time,
                loggers.CreateLogger<SupervisorLoop>());
            var leds = new LedLoop(status, supervisor, platform.Lights, platform.Liveness.Register("led loop", TimeSpan.FromSeconds(10)), freeze, time);
            var runtime = new AgentRuntime(status, desired, platform.Journal, supervisor, platform.Boot, platform.Notifier, link, supervisorLoop, leds,
                loggers.CreateLogger<AgentRuntime>());
            return new AgentHost(platform, supervisor, runtime, time, loggers);
        }
        catch
        {
            platform.Dispose();
            throw;
        }
    }

    /// <summary>Runs until SIGTERM/SIGINT (or <paramref name="stop"/>), or until a loop dies. Returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken stop = default)
    {
        using var signalled = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);

        await Runtime.StartAsync(signalled.Token).ConfigureAwait(false);
        _platform.StartWatchdog();
        using var trim = new MemoryTrim(_time, _loggers.CreateLogger<MemoryTrim>());

        var exitCode = AgentExitCode.Ok;
        var stopped = Task.Delay(Timeout.Infinite, signalled.Token);
        var first = await Task.WhenAny(stopped, Runtime.Completion).ConfigureAwait(false);
        if (first != stopped)
        {
            // A loop ended without being asked to: a bug or a storage failure. Let systemd restart us.
            var error = Runtime.Completion.Exception?.InnerException;
            exitCode = error is IOException ? AgentExitCode.IoError : AgentExitCode.Software;
            LogLoopFailed(_logger, error?.GetType().Name ?? "none", error?.Message ?? "the loop returned", exitCode);
            await Runtime.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return exitCode;
        }

        await Runtime.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _platform.CleanStop();
        return exitCode;

        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // we stop in order ourselves
            signalled.Cancel();
        }
    }

    public ValueTask DisposeAsync()
    {
        _supervisor.Dispose();
        _platform.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "an agent loop failed ({Type}: {Reason}); exiting with code {Code} so that systemd restarts the agent")]
    private static partial void LogLoopFailed(ILogger logger, string type, string reason, int code);
}
