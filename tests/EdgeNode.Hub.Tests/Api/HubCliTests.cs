using System.Text.Json;
using EdgeNode.Hub.Cli;
using EdgeNode.Hub.Tests.Support;

namespace EdgeNode.Hub.Tests.Api;

/// <summary>The CLI against a running hub over real HTTP.</summary>
public sealed class HubCliTests : IAsyncLifetime
{
    private TestHub _hub = null!;
    private string _specDir = "";

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(network: false);
        _specDir = Path.Combine(_hub.DataDir, "..", "spec-" + Guid.NewGuid().ToString("N"));
        foreach (var (path, text) in Support.Specs.Plant())
        {
            var full = Path.Combine(_specDir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, text);
        }
    }

    public async Task DisposeAsync()
    {
        Directory.Delete(_specDir, recursive: true);
        await _hub.DisposeAsync();
    }

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await HubCli.RunAsync([.. args, "--hub", _hub.Http.ToString(), "--token", _hub.Token], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Cli_ApplyApproveListShowIdentify_TablesAndJson()
    {
        var apply = await Run("apply", _specDir);
        Assert.Equal(0, apply.Code);
        Assert.Contains("spec revision 1 applied to tenant default", apply.Out, StringComparison.Ordinal);

        await Fleets.EnrollAgent(_hub, "hw-cli").EnrollAsync(slotHint: "plant-a/line1/cell2");
        var pending = await Run("enrollments", "--state", "pending");
        Assert.Matches(@"(?m)^ID\s+STATE\s+HARDWARE", pending.Out);
        Assert.Contains("hw-cli", pending.Out, StringComparison.Ordinal);
        var id = _hub.Host.Fleet.ListEnrollments(EdgeNode.Hub.Fleet.OperatorScope.Admin, null).Single().Id;

        var approve = await Run("approve", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, approve.Code);
        Assert.Contains("in slot plant-a/line1/cell2", approve.Out, StringComparison.Ordinal);

        var devices = await Run("devices", "--site", "plant-a", "--label", "role=weld", "--json");
        var list = JsonDocument.Parse(devices.Out).RootElement;
        var deviceId = Assert.Single(list.EnumerateArray()).GetProperty("id").GetString()!;
        Assert.Empty(JsonDocument.Parse((await Run("devices", "--label", "role=press", "--json")).Out).RootElement.EnumerateArray());
        Assert.Empty(JsonDocument.Parse((await Run("devices", "--status", "online", "--json")).Out).RootElement.EnumerateArray());

        var show = await Run("device", deviceId);
        Assert.Contains("plant-a/line1/cell2", show.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^web\s+registry\.local/web:2\.0-beta", show.Out);
        Assert.Matches(@"(?m)^camera\s+registry\.local/camera:0\.9", show.Out);

        var identify = await Run("identify", deviceId, "--seconds", "15");
        Assert.Equal(0, identify.Code);
        var restart = await Run("app", "restart", deviceId, "web");
        Assert.Equal(0, restart.Code);
        var commands = _hub.Host.Fleet.ListCommands(EdgeNode.Hub.Fleet.OperatorScope.Admin, deviceId);
        Assert.Equal(["AppRestart", "Identify"], commands.Select(c => c.Kind).ToArray());
        Assert.Equal(15u, commands[1].DurationSeconds);
    }

    [Fact]
    public async Task Cli_InvalidSpecOrMissingToken_NonZeroWithReason()
    {
        await File.AppendAllTextAsync(Path.Combine(_specDir, "base", "apps.yaml"), "\n    cpu: fast\n");
        var apply = await Run("apply", _specDir);
        var output = new StringWriter();
        var error = new StringWriter();
        var noToken = await HubCli.RunAsync(["devices", "--hub", _hub.Http.ToString()], output, error);

        Assert.Equal(1, apply.Code);
        Assert.Contains("base/apps.yaml", apply.Err, StringComparison.Ordinal);
        Assert.Contains("not a CPU amount", apply.Err, StringComparison.Ordinal);
        Assert.Equal(3, noToken);
        Assert.Contains("401", error.ToString(), StringComparison.Ordinal);
    }
}
