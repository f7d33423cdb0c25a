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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Hosting;

/// <summary>The agent's wiring: HAL platform, supervisor, hub link, lifecycle loops and the hosted service.</summary>
public static class AgentServiceCollectionExtensions
{
    public static IServiceCollection AddEdgeNodeAgent(this IServiceCollection services, AgentConfig config, HardwareProfile profile, bool simulateHardware, TextWriter console)
    {
        services.AddSingleton(config);
        services.AddSingleton(profile);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Random.Shared);

        // HAL: watchdog, boot reason, storage, LEDs, liveness, systemd.
        services.AddSingleton(sp => new HalPlatform(config, profile, simulateHardware, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), console));
        services.AddSingleton<IDurableStore>(sp => sp.GetRequiredService<HalPlatform>().Store);
        services.AddSingleton(sp => sp.GetRequiredService<HalPlatform>().Journal);
        services.AddSingleton(sp => sp.GetRequiredService<HalPlatform>().Lights);
        services.AddSingleton(sp => sp.GetRequiredService<HalPlatform>().Liveness);
        services.AddSingleton(sp => sp.GetRequiredService<HalPlatform>().Notifier);
        services.AddSingleton<IBootReasonSource>(sp => sp.GetRequiredService<HalPlatform>().Boot);

        // Supervisor over the Docker Engine.
        services.AddSingleton(sp => new ContainerSupervisor(new SupervisorOptions
        {
            DockerEndpoint = config.DockerEndpoint.ToString(),
            ImageCacheDirectory = config.ImageCacheDirectory,
            MemoryBudgetBytes = (ulong)config.CapacityMemoryMb << 20,
            CpuBudgetMillis = (uint)config.CapacityCpuMillis,
            OsReserveMemoryBytes = 0, // capacity in agent.json is already what the apps may use
            OsReserveCpuMillis = 0,
        }, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAppSupervisor>(sp => new ContainerSupervisorAdapter(sp.GetRequiredService<ContainerSupervisor>()));

        // Hub link.
        services.AddSingleton<IHubConnector>(sp => new CoapHubConnector(config.HubEndpoints, config.PlainCoap, null,
            new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(10) }, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CoapHubConnector>>()));
        services.AddSingleton<IUnitMetrics>(_ => new ProcUnitMetrics(config.StateDirectory));

        // Lifecycle.
        services.AddSingleton<UnitStatus>();
        services.AddSingleton<AgentStateRepository>();
        services.AddSingleton<DesiredStateSync>();
        services.AddSingleton<CommandExecutor>();
        services.AddSingleton(sp => new FreezeSwitch(config.FreezeFlagPath, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FreezeSwitch>>()));
        services.AddSingleton(sp =>
        {
            var repository = sp.GetRequiredService<AgentStateRepository>();
            return new LinkLoopOptions
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
        });
        services.AddSingleton(sp => new LinkLoop(
            sp.GetRequiredService<LinkLoopOptions>(),
            sp.GetRequiredService<IHubConnector>(),
            sp.GetRequiredService<AgentStateRepository>(),
            sp.GetRequiredService<DesiredStateSync>(),
            sp.GetRequiredService<IEventJournal>(),
            sp.GetRequiredService<IAppSupervisor>(),
            sp.GetRequiredService<UnitStatus>(),
            sp.GetRequiredService<CommandExecutor>(),
            sp.GetRequiredService<IBootReasonSource>(),
            sp.GetRequiredService<IUnitMetrics>(),
            sp.GetRequiredService<ILivenessMonitor>().Register("link loop", config.LoopDeadline),
            sp.GetRequiredService<FreezeSwitch>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Random>(),
            sp.GetRequiredService<ILogger<LinkLoop>>()));
        services.AddSingleton(sp => new SupervisorLoop(
            sp.GetRequiredService<IAppSupervisor>(),
            sp.GetRequiredService<ILivenessMonitor>().Register("supervisor loop", config.LoopDeadline),
            sp.GetRequiredService<FreezeSwitch>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SupervisorLoop>>()));
        services.AddSingleton(sp => new LedLoop(
            sp.GetRequiredService<UnitStatus>(),
            sp.GetRequiredService<IAppSupervisor>(),
            sp.GetRequiredService<IStatusLights>(),
            sp.GetRequiredService<ILivenessMonitor>().Register("led loop", TimeSpan.FromSeconds(10)),
            sp.GetRequiredService<FreezeSwitch>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AgentRuntime>();
        services.AddHostedService<AgentHostedService>();
        return services;
    }
}
