using Docker.DotNet;
using Docker.DotNet.Models;
using EdgeNode.Agent.Supervision;
using EdgeNode.Link.Contracts;
using Xunit.Abstractions;

namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>
/// Runs a real <see cref="ContainerSupervisor"/> against the real dockerd in a unique scope, collects its events, and
/// removes every container of the scope (and the images the test registered) on dispose.
/// </summary>
internal sealed class SupervisorHarness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;
    private readonly List<string> _images = [];
    private readonly List<string> _extraContainers = [];
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private int _ticks;

    public SupervisorHarness(ITestOutputHelper output, Func<SupervisorOptions, SupervisorOptions>? configure = null)
    {
        _output = output;
        Scope = "t" + Guid.NewGuid().ToString("N")[..10];
        CacheDir = Directory.CreateTempSubdirectory("edgenode-cache-").FullName;
        var options = new SupervisorOptions
        {
            Scope = Scope,
            ImageCacheDirectory = CacheDir,
            StopTimeout = TimeSpan.FromSeconds(1),
            ResyncPeriod = TimeSpan.FromSeconds(5),
            TickInterval = TimeSpan.FromMilliseconds(200),
            RestartBackoffBase = TimeSpan.FromMilliseconds(300),
            RestartBackoffCap = TimeSpan.FromSeconds(3),
            CrashLoopRestarts = 4,
            CrashLoopWindow = TimeSpan.FromMinutes(2),
            CapacityHysteresis = TimeSpan.FromSeconds(1),
            EngineRetryInterval = TimeSpan.FromMilliseconds(300),
            CommandRetryBase = TimeSpan.FromMilliseconds(300),
            CommandRetryCap = TimeSpan.FromSeconds(2),
            PullTimeout = TimeSpan.FromSeconds(20),
            OsReserveMemoryBytes = 0,
            OsReserveCpuMillis = 0,
            MemoryHeadroomBytes = 0,
        };
        Options = configure is null ? options : configure(options);
        Docker = new DockerClientBuilder().WithEndpoint(new Uri(Options.DockerEndpoint)).Build();
    }

    public string Scope { get; }

    public string CacheDir { get; }

    public SupervisorOptions Options { get; }

    public DockerClient Docker { get; }

    public ContainerSupervisor Supervisor { get; private set; } = null!;

    public List<SupervisorEvent> Events { get; } = [];

    public int Ticks => Volatile.Read(ref _ticks);

    public string ContainerName(string app) => ManagedLabels.ContainerName(Scope, app);

    /// <summary>Starts a new supervisor instance (a second call after <see cref="StopAsync"/> models an agent restart).</summary>
    public ContainerSupervisor Start(DesiredState? state = null)
    {
        Supervisor = new ContainerSupervisor(Options, new XunitLoggerFactory(_output), TimeProvider.System);
        if (state is not null) Supervisor.ApplyAsync(state).GetAwaiter().GetResult();
        _stop = new CancellationTokenSource();
        var supervisor = Supervisor;
        _loop = Task.Run(() => supervisor.RunAsync(() => Interlocked.Increment(ref _ticks), _stop.Token));
        return Supervisor;
    }

    public async Task StopAsync()
    {
        if (_stop is null) return;
        Drain();
        await _stop.CancelAsync();
        try { await _loop!; } catch (OperationCanceledException) { }
        _stop.Dispose();
        _stop = null;
        Supervisor.Dispose();
    }

    /// <summary>
    /// The events so far. Read synchronously from the supervisor's channel: the supervisor writes an event before it
    /// publishes the snapshot that shows its effect, so after a snapshot wait the matching events are here.
    /// </summary>
    public SupervisorEvent[] EventsOf(EventKind kind, string app = "")
    {
        Drain();
        lock (Events) return Events.Where(e => e.Kind == kind && (app == "" || e.App == app)).ToArray();
    }

    private void Drain()
    {
        lock (Events)
            while (Supervisor.Events.TryRead(out var e)) Events.Add(e);
    }

    public async Task<SupervisorSnapshot> WaitAsync(Func<SupervisorSnapshot, bool> condition, string what, TimeSpan? timeout = null)
    {
        try
        {
            return await Poll.UntilAsync(() => Task.FromResult(condition(Supervisor.Snapshot) ? Supervisor.Snapshot : null), timeout ?? Deadline, what);
        }
        catch (TimeoutException)
        {
            var s = Supervisor.Snapshot;
            _output.WriteLine("last snapshot: degraded=[" + string.Join(",", s.Degraded) + "] " +
                string.Join("; ", s.Apps.Select(a => $"{a.Name}:{a.Phase} r={a.Restarts} exit={a.LastExitCode} err={a.Error} detail={a.Detail}")));
            throw;
        }
    }

    public static bool AllRunning(SupervisorSnapshot s, params string[] apps) =>
        apps.All(a => s.App(a)?.Phase == AppPhase.Running);

    public Task<ContainerInspectResponse> InspectAsync(string app) => Docker.Containers.InspectContainerAsync(ContainerName(app));

    public async Task<IList<ContainerListResponse>> ListScopeAsync() =>
        await Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [ManagedLabels.Scope + "=" + Scope] = true } },
        });

    /// <summary>Registers an image to delete on dispose.</summary>
    public void TrackImage(string image) => _images.Add(image);

    /// <summary>Registers a container (not ours) to delete on dispose.</summary>
    public void TrackContainer(string name) => _extraContainers.Add(name);

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); } catch (Exception e) { _output.WriteLine("stop: " + e.Message); }
        try
        {
            foreach (var c in await ListScopeAsync())
                await Docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
        }
        catch (Exception e) { _output.WriteLine("cleanup containers: " + e.Message); }
        foreach (var c in _extraContainers) await DockerCli.TryRunAsync("rm", "-f", c);
        foreach (var i in _images) await DockerCli.TryRunAsync("rmi", "-f", i);
        try { Directory.Delete(CacheDir, recursive: true); } catch (IOException) { }
        Docker.Dispose();
    }
}
