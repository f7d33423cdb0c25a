using EdgeNode.Agent.Tests.Configuration;

namespace EdgeNode.Agent.Tests.Hosting;

/// <summary>
/// The agent as a real process under a NOTIFY_SOCKET and WATCHDOG_USEC, as systemd starts it: READY=1, STATUS=,
/// periodic WATCHDOG=1 (withheld while the loops are frozen by the fault-injection flag) and STOPPING=1 on SIGTERM.
/// The hub address is a closed local port and the Docker endpoint a missing socket, so the agent runs offline and
/// degraded, which is what it must survive.
/// </summary>
public sealed class SystemdNotifyProcessTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private string WriteConfig(string freezeFlag)
    {
        var json = ConfigFixture.ValidJson(_fixture.ProfilePath, "127.0.0.1", port: FreeUdpPort(), plain: true, freezeFlag: freezeFlag)
            .Replace("unix:///var/run/docker.sock", $"unix://{_fixture.Directory}/no-docker.sock", StringComparison.Ordinal)
            .Replace("\"requestTimeoutSeconds\": 10", "\"requestTimeoutSeconds\": 2", StringComparison.Ordinal)
            .Replace("\"heartbeatSeconds\": 5", "\"heartbeatSeconds\": 5, \"loopDeadlineSeconds\": 5", StringComparison.Ordinal);
        return _fixture.Write(json);
    }

    private static int FreeUdpPort()
    {
        using var s = new System.Net.Sockets.UdpClient(0);
        return ((System.Net.IPEndPoint)s.Client.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task Agent_UnderNotifySocket_SendsReadyStatusWatchdogAndStopping()
    {
        var config = WriteConfig(Path.Combine(_fixture.Directory, "freeze"));
        using var agent = new AgentProcess(_fixture.Directory, ["--config", config, "--state-dir", _fixture.StateDirectory, "--simulate-hardware"],
            new Dictionary<string, string> { ["WATCHDOG_USEC"] = "2000000" });

        await agent.WaitForAsync(m => m.Any(x => x.Message == "READY=1"), "READY=1", TimeSpan.FromSeconds(60));
        await agent.WaitForAsync(m => m.Count(x => x.Message == "WATCHDOG=1") >= 3, "three WATCHDOG=1", TimeSpan.FromSeconds(30));
        await agent.WaitForAsync(m => m.Any(x => x.Message.StartsWith("STATUS=hub unreachable", StringComparison.Ordinal) || x.Message.StartsWith("STATUS=degraded", StringComparison.Ordinal)),
            "a STATUS= line about the hub or the engine", TimeSpan.FromSeconds(30));

        agent.Terminate();
        await agent.WaitForAsync(m => m.Any(x => x.Message == "STOPPING=1"), "STOPPING=1", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var messages = agent.Messages.Select(m => m.Message).ToList();
        Assert.True(messages.IndexOf("READY=1") < messages.IndexOf("STOPPING=1"));
        Assert.Contains("[leds]", agent.Output, StringComparison.Ordinal); // --simulate-hardware prints the LED lines
    }

    [Fact]
    public async Task Agent_FreezeFlag_WithholdsWatchdogUntilRemoved()
    {
        var flag = Path.Combine(_fixture.Directory, "freeze-loops");
        var config = WriteConfig(flag);
        using var agent = new AgentProcess(_fixture.Directory, ["--config", config, "--state-dir", _fixture.StateDirectory, "--simulate-hardware"],
            new Dictionary<string, string> { ["WATCHDOG_USEC"] = "1000000" });
        await agent.WaitForAsync(m => m.Count(x => x.Message == "WATCHDOG=1") >= 2, "WATCHDOG=1 flowing", TimeSpan.FromSeconds(60));

        File.WriteAllText(flag, "");
        var frozenAt = DateTime.UtcNow;

        // Within the loop deadline (5 s) plus margin, feeding stops: a silence of 3 s (six feed periods) follows.
        await agent.WaitForAsync(m =>
        {
            var last = m.LastOrDefault(x => x.Message == "WATCHDOG=1").At;
            return last > frozenAt && DateTime.UtcNow - last > TimeSpan.FromSeconds(3);
        }, "WATCHDOG=1 withheld after freezing", TimeSpan.FromSeconds(40));
        Assert.Contains("fault injection", agent.Output, StringComparison.Ordinal);

        File.Delete(flag);
        var thawedAt = DateTime.UtcNow;
        await agent.WaitForAsync(m => m.Any(x => x.Message == "WATCHDOG=1" && x.At > thawedAt), "WATCHDOG=1 resumed", TimeSpan.FromSeconds(30));
    }
}
