using EdgeNode.Hub.Cli;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Rollouts;
using EdgeNode.Hub.Tests.Support;

namespace EdgeNode.Hub.Tests.Rollouts;

/// <summary>The rollout, token and alert CLI commands against a running hub over real HTTP.</summary>
public sealed class FleetOperationsCliTests : IAsyncLifetime
{
    private TestHub _hub = null!;
    private string _specDir = "";

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(network: false);
        _hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, LineSpec.Files("1.0", 4), "test");
        for (var i = 1; i <= 4; i++)
        {
            await RolloutUnit.OnboardAsync(_hub, LineSpec.Slot(i), i);
        }

        _specDir = Path.Combine(Path.GetTempPath(), "edgenode-cli-spec-" + Guid.NewGuid().ToString("N"));
        foreach (var (path, text) in LineSpec.Files("1.1", 4))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_specDir, path))!);
            await File.WriteAllTextAsync(Path.Combine(_specDir, path), text);
        }
    }

    public async Task DisposeAsync()
    {
        Directory.Delete(_specDir, recursive: true);
        await _hub.DisposeAsync();
    }

    private async Task<(int Code, string Out, string Err)> Run(string? token, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await HubCli.RunAsync([.. args, "--hub", _hub.Http.ToString(), "--token", token ?? _hub.Token], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Cli_RolloutCreateListShowPauseResumeAbortRollback_Work()
    {
        var (code, output, error) = await Run(null, "rollout", "create", _specDir, "--wave", "1", "--wave", "rest", "--soak", "60", "--label", "ring=even");
        Assert.True(code == 0, error);
        Assert.Contains("rollout 1 started: Running, wave 1/2", output, StringComparison.Ordinal);
        Assert.Matches(@"1\s+1\s+Soaking\s+1", output);
        Assert.Equal([LineSpec.Slot(2), LineSpec.Slot(4)], _hub.Host.Rollouts.Get(OperatorScope.Admin, 1).Slots!.Select(s => s.Slot));

        (code, output, _) = await Run(null, "rollout", "list");
        Assert.Equal(0, code);
        Assert.Matches(@"1\s+default\s+Running\s+1\s+2\s+60", output);

        (code, output, _) = await Run(null, "rollout", "show", "1");
        Assert.Equal(0, code);
        Assert.Contains(LineSpec.Slot(2), output, StringComparison.Ordinal);
        Assert.Matches(@"plant-r/line1/cell04\s+2\s+d-\w+\s+1\s+2\s+Pending", output);

        Assert.Contains("is now Paused", (await Run(null, "rollout", "pause", "1")).Out, StringComparison.Ordinal);
        Assert.Equal(RolloutState.Paused, _hub.Host.Rollouts.Get(OperatorScope.Admin, 1).State);
        Assert.Contains("is now Running", (await Run(null, "rollout", "resume", "1")).Out, StringComparison.Ordinal);
        Assert.Contains("is now Aborted", (await Run(null, "rollout", "abort", "1")).Out, StringComparison.Ordinal);
        (code, _, error) = await Run(null, "rollout", "abort", "1");
        Assert.Equal(1, code);
        Assert.Contains("409", error, StringComparison.Ordinal);
        Assert.Contains("is now RolledBack", (await Run(null, "rollout", "rollback", "1")).Out, StringComparison.Ordinal);
        Assert.Equal(1UL, _hub.Host.Fleet.GetSlot(OperatorScope.Admin, LineSpec.Slot(2)).CurrentGeneration);

        (code, output, _) = await Run(null, "rollout", "show", "1", "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"state\": \"RolledBack\"", output, StringComparison.Ordinal);
        (code, _, error) = await Run(null, "rollout", "show", "42");
        Assert.Equal(1, code);
        Assert.Contains("404", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_TokenCreateListRevoke_AndAlertRules_Work()
    {
        Assert.Contains("tenant globex created", (await Run(null, "tenant", "create", "globex", "--name", "Globex")).Out, StringComparison.Ordinal);
        var (tcode, tout, terr) = await Run(null, "token", "create", "globex-ops", "--tenant", "globex");
        Assert.True(tcode == 0, terr);
        var globex = tout.Split(' ', 2)[0];
        Assert.Matches(@"globex\s+Globex", (await Run(globex, "tenant", "list")).Out);
        Assert.DoesNotContain("default", (await Run(globex, "tenant", "list")).Out, StringComparison.Ordinal);
        Assert.Contains("403", (await Run(globex, "tenant", "create", "evil")).Err, StringComparison.Ordinal);
        var own = _hub.Host.Rollouts.Create(OperatorScope.Admin, new RolloutRequest(Files: LineSpec.Files("1.1", 4))).Id;
        Assert.Equal(0, (await Run(null, "rollout", "show", own.ToString(System.Globalization.CultureInfo.InvariantCulture))).Code);
        Assert.Contains("404", (await Run(globex, "rollout", "show", own.ToString(System.Globalization.CultureInfo.InvariantCulture))).Err, StringComparison.Ordinal);
        var (code, output, error) = await Run(null, "token", "create", "line-ops", "--tenant", "default");
        Assert.True(code == 0, error);
        var secret = output.Split(' ', 2)[0];
        Assert.StartsWith("enh_", secret, StringComparison.Ordinal);
        (code, output, _) = await Run(secret, "token", "list");
        Assert.Equal(0, code);
        Assert.Matches(@"\d+\s+line-ops\s+default", output);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        var id = _hub.Host.Tokens.List(OperatorScope.Admin).Single(t => t.Name == "line-ops").Id;

        (code, output, _) = await Run(secret, "alert", "add-rule", "--kind", "device-offline", "--webhook", "http://127.0.0.1:9/hook", "--threshold", "120");
        Assert.Equal(0, code);
        Assert.Contains("created (device-offline)", output, StringComparison.Ordinal);
        Assert.Matches(@"1\s+default\s+device-offline\s+120", (await Run(null, "alert", "rules")).Out);
        Assert.DoesNotContain("device-offline", (await Run(globex, "alert", "rules")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await Run(null, "alert", "deliveries", "--state", "failed")).Code);
        Assert.Equal(0, (await Run(null, "alert", "list")).Code);

        Assert.Contains($"token {id} revoked", (await Run(null, "token", "revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Out, StringComparison.Ordinal);
        (code, _, error) = await Run(secret, "token", "list");
        Assert.Equal(3, code);
        Assert.Contains("401", error, StringComparison.Ordinal);
        Assert.Equal(0, (await Run(null, "alert", "delete-rule", "1")).Code);
        Assert.Empty(_hub.Host.Alerts.ListRules(OperatorScope.Admin));
    }
}
