using BenchmarkDotNet.Attributes;
using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Planning;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Benchmarks;

/// <summary>
/// The supervisor's pure planner over 50 apps (time and allocations per plan). Scenarios:
/// Steady = every app running with its spec (the common resync: no commands);
/// ColdStart = nothing exists yet (50 × create + start);
/// CapacityShort = the budget fits half of them (priority sort, shedding, reasons);
/// CrashLoop = 10 apps backing off, 5 failed, the rest running.
/// Hashing the 50 specs (done once per ApplyAsync, not per plan) is measured separately.
/// </summary>
[MemoryDiagnoser]
public class SupervisorPlannerBenchmarks
{
    private const int Apps = 50;
    private const ulong Mb = 1 << 20;
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private List<AppSpec> _specs = null!;
    private PlannerInput _input = null!;

    [Params("Steady", "ColdStart", "CapacityShort", "CrashLoop")]
    public string Scenario { get; set; } = "Steady";

    [GlobalSetup]
    public void Setup()
    {
        _specs = Enumerable.Range(0, Apps).Select(i => new AppSpec
        {
            Name = $"app-{i:D2}",
            Image = $"registry.local/acme/app-{i % 7}:1.{i % 3}",
            Command = ["/bin/app", "--instance", i.ToString()],
            Env = [new("SITE", "plant-7"), new("INDEX", i.ToString()), new("MODE", "prod")],
            Ports = [new PortMapping { HostPort = (uint)(8000 + i), ContainerPort = 80 }],
            MemoryLimitBytes = 64 * Mb,
            MemoryReservationBytes = 32 * Mb,
            CpuMillis = 100,
            Priority = (PriorityClass)(i % 3),
            Labels = [new("team", "mes")],
        }).ToList();
        var desired = _specs.Select(DesiredApp.From).ToList();
        var images = new HashSet<string>(desired.Select(d => d.Spec.Image + "")) as IReadOnlySet<string>;
        var running = desired.Select(d => new ContainerInfo("c" + d.Hash[..20], "edge-" + d.Name, d.Name, d.Hash, ContainerStatus.Running, 0, false,
            ContainerHealth.None, Now.AddHours(-1), null)).ToList();
        var runtime = new Dictionary<string, AppRuntimeState>();
        var capacity = NodeCapacity.Unlimited;
        var current = (IReadOnlyList<ContainerInfo>)running;
        switch (Scenario)
        {
            case "ColdStart":
                current = [];
                break;
            case "CapacityShort":
                capacity = new NodeCapacity(Apps / 2 * 32 * Mb, 100_000);
                break;
            case "CrashLoop":
                current = running.Select((c, i) => i < 15 ? c with { Status = ContainerStatus.Exited, ExitCode = 1, FinishedAt = Now } : c).ToList();
                for (var i = 0; i < 15; i++)
                    runtime[desired[i].Name] = AppRuntimeState.Fresh(desired[i].Hash) with
                    {
                        Failed = i < 5,
                        Failures = [Now, Now, Now],
                        NextRestartAt = i < 5 ? null : Now.AddSeconds(4),
                    };
                break;
        }
        _input = new PlannerInput("edge", desired, current, capacity, runtime, images, Now);
    }

    [Benchmark]
    public Plan Plan50Apps() => Planner.Plan(_input);

    [Benchmark]
    public int HashSpecs50Apps()
    {
        var n = 0;
        foreach (var s in _specs) n += SpecHash.Compute(s).Length;
        return n;
    }
}
