using EdgeNode.Agent.Supervision;
using EdgeNode.Link.Contracts;
using RestartPolicy = EdgeNode.Link.Contracts.RestartPolicy;

namespace EdgeNode.Supervisor.Tests;

public sealed class DesiredStateValidatorTests
{
    private static AppSpec Ok(string name = "app") => new() { Name = name, Image = "acme/app:1" };

    [Fact]
    public void Validate_GoodState_NoProblems()
    {
        var spec = Ok();
        spec.Ports.Add(new PortMapping { HostPort = 8080, ContainerPort = 80, Protocol = "udp" });
        spec.Volumes.Add(new VolumeMount { Source = "data", Target = "/data" });
        Assert.Empty(DesiredStateValidator.Validate(new DesiredState { Apps = [spec, Ok("b.2_x-y")] }));
    }

    public static TheoryData<string, Func<AppSpec>, string> BadApps => new()
    {
        { "empty name", () => Ok(""), "app #0: name must be" },
        { "upper case name", () => Ok("App"), "app 'App': name must be" },
        { "name with slash", () => Ok("a/b"), "name must be" },
        { "name too long", () => Ok(new string('a', 64)), "name must be" },
        { "empty image", () => new AppSpec { Name = "a", Image = " " }, "app 'a': image is empty" },
        { "reservation above limit", () => new AppSpec { Name = "a", Image = "i", MemoryLimitBytes = 8 << 20, MemoryReservationBytes = 16 << 20 }, "exceeds the limit" },
        { "limit below Docker's minimum", () => new AppSpec { Name = "a", Image = "i", MemoryLimitBytes = 1 << 20 }, "below Docker's minimum" },
        { "unknown priority", () => new AppSpec { Name = "a", Image = "i", Priority = (PriorityClass)9 }, "unknown priority class 9" },
        { "unknown restart policy", () => new AppSpec { Name = "a", Image = "i", Restart = (RestartPolicy)9 }, "unknown restart policy 9" },
        { "unknown pull policy", () => new AppSpec { Name = "a", Image = "i", Pull = (PullPolicy)9 }, "unknown pull policy 9" },
        { "container port 0", () => new AppSpec { Name = "a", Image = "i", Ports = [new PortMapping { ContainerPort = 0 }] }, "out of range" },
        { "host port too big", () => new AppSpec { Name = "a", Image = "i", Ports = [new PortMapping { ContainerPort = 1, HostPort = 70000 }] }, "out of range" },
        { "sctp", () => new AppSpec { Name = "a", Image = "i", Ports = [new PortMapping { ContainerPort = 1, Protocol = "sctp" }] }, "neither tcp nor udp" },
        { "relative volume target", () => new AppSpec { Name = "a", Image = "i", Volumes = [new VolumeMount { Source = "/x", Target = "rel" }] }, "absolute target" },
        { "volume without source", () => new AppSpec { Name = "a", Image = "i", Volumes = [new VolumeMount { Target = "/x" }] }, "needs a source" },
    };

    [Theory]
    [MemberData(nameof(BadApps))]
    public void Validate_BadApp_NamesAppAndReason(string what, Func<AppSpec> make, string expected)
    {
        var problems = DesiredStateValidator.Validate(new DesiredState { Apps = [make()] });
        Assert.True(problems.Any(p => p.Contains(expected)), $"{what}: {string.Join(" | ", problems)}");
    }

    [Fact]
    public void Validate_DuplicateNames_Rejected()
    {
        var problems = DesiredStateValidator.Validate(new DesiredState { Apps = [Ok("a"), Ok("a")] });
        Assert.Equal(["app 'a': name appears more than once"], problems);
    }

    [Fact]
    public void Validate_NullApp_Rejected()
    {
        Assert.Equal(["app #0 is null"], DesiredStateValidator.Validate(new DesiredState { Apps = [null!] }));
    }
}
