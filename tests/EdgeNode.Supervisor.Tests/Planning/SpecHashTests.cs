using EdgeNode.Agent.Supervision.Planning;
using EdgeNode.Link.Contracts;
using RestartPolicy = EdgeNode.Link.Contracts.RestartPolicy;

namespace EdgeNode.Supervisor.Tests.Planning;

public sealed class SpecHashTests
{
    private static AppSpec Spec() => new()
    {
        Name = "a", Image = "acme/app:1", Command = ["run", "--fast"], Env = [new("B", "2"), new("A", "1")],
        Ports = [new PortMapping { HostPort = 8080, ContainerPort = 80 }], Volumes = [new VolumeMount { Source = "/data", Target = "/d" }],
        MemoryLimitBytes = 64 << 20, CpuMillis = 500, Labels = [new("team", "x")],
        Health = new HealthCheck { Test = ["CMD", "true"], IntervalMs = 1000 },
    };

    [Fact]
    public void Compute_SameSpec_SameHash_64HexChars()
    {
        var h = SpecHash.Compute(Spec());
        Assert.Equal(h, SpecHash.Compute(Spec()));
        Assert.Matches("^[0-9a-f]{64}$", h);
    }

    [Fact]
    public void Compute_EnvOrder_DoesNotMatter()
    {
        var s = Spec();
        s.Env.Reverse();
        Assert.Equal(SpecHash.Compute(Spec()), SpecHash.Compute(s));
    }

    [Fact]
    public void Compute_PolicyAndPriority_DoNotRecreate()
    {
        var s = Spec();
        s.Priority = PriorityClass.BestEffort;
        s.Restart = RestartPolicy.No;
        s.Pull = PullPolicy.Always;
        Assert.Equal(SpecHash.Compute(Spec()), SpecHash.Compute(s));
    }

    public static TheoryData<string, Action<AppSpec>> Changes => new()
    {
        { "image tag", s => s.Image = "acme/app:2" },
        { "command", s => s.Command = ["run"] },
        { "command split differently", s => s.Command = ["run --fast"] },
        { "entrypoint", s => s.Entrypoint = ["/init"] },
        { "env value", s => s.Env[0].Value = "3" },
        { "port", s => s.Ports[0].HostPort = 8081 },
        { "port protocol", s => s.Ports[0].Protocol = "udp" },
        { "volume read-only", s => s.Volumes[0].ReadOnly = true },
        { "memory limit", s => s.MemoryLimitBytes = 128 << 20 },
        { "memory reservation", s => s.MemoryReservationBytes = 1 << 20 },
        { "cpu", s => s.CpuMillis = 250 },
        { "label", s => s.Labels.Add(new("x", "y")) },
        { "health interval", s => s.Health!.IntervalMs = 2000 },
        { "health removed", s => s.Health = null },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Compute_ContainerShapingChange_ChangesHash(string what, Action<AppSpec> change)
    {
        var s = Spec();
        change(s);
        Assert.True(SpecHash.Compute(Spec()) != SpecHash.Compute(s), what);
    }
}
