using System.ComponentModel.DataAnnotations;

namespace EdgeNode.Agent.Supervision;

/// <summary>
/// Settings of the container supervisor. A plain record so the agent can bind it from its config file
/// (source-generated binder) and validate it with <see cref="SupervisorOptionsValidator"/>.
/// </summary>
public sealed record SupervisorOptions
{
    /// <summary>Docker Engine API endpoint, e.g. <c>unix:///var/run/docker.sock</c>.</summary>
    [Required]
    public string DockerEndpoint { get; init; } = "unix:///var/run/docker.sock";

    /// <summary>
    /// Ownership scope: every container the supervisor creates carries <c>io.edgenode.scope=&lt;Scope&gt;</c> and is named
    /// <c>&lt;Scope&gt;-&lt;app&gt;</c>. Containers outside the scope (or without our labels) are never touched.
    /// </summary>
    [Required]
    public string Scope { get; init; } = DefaultScope;

    /// <summary>The scope when agent.json names none (<c>docker.scope</c>).</summary>
    public const string DefaultScope = "edgenode";

    /// <summary>Directory of image tarballs (<c>docker save</c> output, <c>*.tar</c>) used when a pull fails.</summary>
    public string ImageCacheDirectory { get; init; } = "/var/lib/edgenode/images";

    /// <summary>Memory the apps may use before the OS reserve is taken off; 0 = the host's MemTotal.</summary>
    public ulong MemoryBudgetBytes { get; init; }

    /// <summary>CPU the apps may use in thousandths of a core before the OS reserve; 0 = all cores.</summary>
    public uint CpuBudgetMillis { get; init; }

    /// <summary>Memory kept for the OS and the agent, taken off the budget.</summary>
    public ulong OsReserveMemoryBytes { get; init; } = 256UL << 20;

    /// <summary>CPU kept for the OS and the agent, in thousandths of a core.</summary>
    public uint OsReserveCpuMillis { get; init; } = 250;

    /// <summary>MemAvailable the host must keep free beyond what our running apps hold.</summary>
    public ulong MemoryHeadroomBytes { get; init; } = 64UL << 20;

    /// <summary>/proc/pressure/memory "some avg10" percentage above which memory counts as under pressure.</summary>
    [Range(0.1, 100.0)]
    public double PressureThresholdPercent { get; init; } = 25.0;

    /// <summary>Share of the running apps' memory given up each time pressure or an OOM kill is seen.</summary>
    [Range(0.01, 1.0)]
    public double PressureShedFraction { get; init; } = 0.25;

    /// <summary>Delay of the second restart after a crash; doubles with each further crash (the first is immediate).</summary>
    public TimeSpan RestartBackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the restart backoff.</summary>
    public TimeSpan RestartBackoffCap { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Restarts allowed within <see cref="CrashLoopWindow"/>; one more crash marks the app Failed.</summary>
    [Range(1, 1000)]
    public int CrashLoopRestarts { get; init; } = 5;

    /// <summary>Sliding window over which crashes are counted.</summary>
    public TimeSpan CrashLoopWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Full re-list and reconcile period, a safety net behind the engine's event stream.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long more capacity must be seen before shed apps start again (shrinking is immediate).</summary>
    public TimeSpan CapacityHysteresis { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest pause between two liveness ticks of <see cref="ContainerSupervisor.RunAsync"/>.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Grace period between SIGTERM and SIGKILL when a container is stopped.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for a registry pull before the image cache is tried.</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of one ordinary engine call (list, inspect, create, start, ...).</summary>
    public TimeSpan EngineCallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Delay between attempts to reach an unavailable engine.</summary>
    public TimeSpan EngineRetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First retry delay of a failed plan command (same id); doubles up to <see cref="CommandRetryCap"/>.</summary>
    public TimeSpan CommandRetryBase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the retry delay of a failed plan command.</summary>
    public TimeSpan CommandRetryCap { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Lines of log kept in the report of a failed app.</summary>
    [Range(0, 10_000)]
    public int LogTailLines { get; init; } = 20;

    /// <summary>Max size of one json-file log before rotation (Docker's <c>max-size</c>), to protect the disk.</summary>
    public string LogMaxSize { get; init; } = "1m";

    /// <summary>Number of rotated json-file logs kept (Docker's <c>max-file</c>).</summary>
    [Range(1, 100)]
    public int LogMaxFiles { get; init; } = 2;
}
