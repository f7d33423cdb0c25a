using BenchmarkDotNet.Attributes;
using Docker.DotNet;
using Docker.DotNet.Models;
using EdgeNode.Agent.Supervision;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Benchmarks;

/// <summary>
/// One steady-state reconcile of the real supervisor against the real dockerd with 10 apps running (list, 10 inspects,
/// image list, plan with nothing to do): time and allocations per pass. Needs the engine and the test image
/// (scripts/start-dockerd.sh). The retained managed memory of the supervisor with those 10 apps is printed at setup
/// ("supervisor retained: N bytes").
/// </summary>
[MemoryDiagnoser]
public class SupervisorReconcileBenchmarks
{
    private const int Apps = 10;
    private readonly string _scope = "bench" + Guid.NewGuid().ToString("N")[..8];
    private ContainerSupervisor _supervisor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        _supervisor = new ContainerSupervisor(new SupervisorOptions { Scope = _scope, StopTimeout = TimeSpan.FromSeconds(1) });
        _supervisor.ApplyAsync(new DesiredState
        {
            Generation = 1,
            Apps = Enumerable.Range(0, Apps).Select(i => new AppSpec
            {
                Name = $"app{i}",
                Image = "edgenode/busybox:test",
                Command = ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"],
                MemoryLimitBytes = 16 << 20,
            }).ToList(),
        }).GetAwaiter().GetResult();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (_supervisor.Snapshot.Apps.Count(a => a.Phase == AppPhase.Running) < Apps)
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("10 apps did not start: " + string.Join(", ", _supervisor.Snapshot.Apps.Select(a => $"{a.Name}={a.Phase} {a.Error}")));
            _supervisor.ReconcileAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        for (var i = 0; i < 5; i++) _supervisor.ReconcileAsync(CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine($"// supervisor retained: {GC.GetTotalMemory(forceFullCollection: true) - before} bytes with {Apps} apps running");
    }

    [Benchmark]
    public Task SteadyReconcile10Apps() => _supervisor.ReconcileAsync(CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup()
    {
        _supervisor.Dispose();
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
        var list = docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [ManagedLabels.Scope + "=" + _scope] = true } },
        }).GetAwaiter().GetResult();
        foreach (var c in list)
            docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true }).GetAwaiter().GetResult();
    }
}
