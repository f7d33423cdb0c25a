using EdgeNode.Agent.Supervision;
using Microsoft.Extensions.Options;

namespace EdgeNode.Supervisor.Tests;

public sealed class SupervisorOptionsTests
{
    [Fact]
    public void Defaults_AreValid() => SupervisorOptionsValidator.ThrowIfInvalid(new SupervisorOptions());

    public static TheoryData<string, SupervisorOptions, string> BadOptions => new()
    {
        { "scope with slash", new SupervisorOptions { Scope = "a/b" }, "Scope" },
        { "empty endpoint", new SupervisorOptions { DockerEndpoint = "" }, "DockerEndpoint" },
        { "relative endpoint", new SupervisorOptions { DockerEndpoint = "docker.sock" }, "not an absolute URI" },
        { "zero crash-loop restarts", new SupervisorOptions { CrashLoopRestarts = 0 }, "CrashLoopRestarts" },
        { "negative tick", new SupervisorOptions { TickInterval = TimeSpan.FromSeconds(-1) }, "TickInterval must be more than zero" },
        { "zero resync", new SupervisorOptions { ResyncPeriod = TimeSpan.Zero }, "ResyncPeriod" },
        { "cap below base", new SupervisorOptions { RestartBackoffBase = TimeSpan.FromMinutes(5) }, "RestartBackoffCap must not be shorter" },
        { "command cap below base", new SupervisorOptions { CommandRetryBase = TimeSpan.FromHours(1) }, "CommandRetryCap must not be shorter" },
        { "shed fraction above 1", new SupervisorOptions { PressureShedFraction = 2 }, "PressureShedFraction" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void ThrowIfInvalid_BadSetting_NamesIt(string what, SupervisorOptions options, string expected)
    {
        var e = Assert.Throws<OptionsValidationException>(() => SupervisorOptionsValidator.ThrowIfInvalid(options));
        Assert.True(e.Failures.Any(f => f.Contains(expected)), $"{what}: {string.Join(" | ", e.Failures)}");
    }

    [Fact]
    public void Supervisor_InvalidOptions_RefusesToStart()
    {
        Assert.Throws<OptionsValidationException>(() => new ContainerSupervisor(new SupervisorOptions { CrashLoopRestarts = 0 }));
    }
}
