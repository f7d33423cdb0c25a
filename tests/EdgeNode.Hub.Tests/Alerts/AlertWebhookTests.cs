using System.Net.Http.Json;
using System.Text.Json;
using EdgeNode.Hub.Alerts;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Tests.Support;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Alerts;

/// <summary>Alert rules fire and resolve on fake time; webhooks go to a real local HTTP receiver, with retry, backoff and failure records.</summary>
public sealed class AlertWebhookTests : IAsyncLifetime
{
    private TestHub _hub = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(network: false);
        _receiver = await WebhookReceiver.StartAsync(_hub.Time, new Dictionary<string, int> { ["ops"] = 2 }, "down");
        _hub.Host.Alerts.MaxAttempts = 4;
        _hub.Host.Alerts.InitialBackoff = TimeSpan.FromSeconds(5);
        _hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, Support.Specs.Plant(), "test");
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _hub.DisposeAsync();
    }

    /// <summary>Fake time moves one second at a time; after each step every due delivery has been attempted.</summary>
    private async Task AdvanceAsync(int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            _hub.Time.Advance(TimeSpan.FromSeconds(1));
            _hub.Host.Alerts.Evaluate();
            await _hub.Host.Alerts.DeliverDueAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Webhook_ReceiverFailsFirstTwoAttempts_RetriedWithBackoffThenDelivered()
    {
        using var http = _hub.Client();
        var rule = await (await http.PostAsJsonAsync("/api/alerts/rules", new { kind = "device-offline", thresholdSeconds = 60, webhookUrl = _receiver.Url("ops") }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var (agent, creds) = await Fleets.OnboardAsync(_hub, "hw-1", "plant-a/line1/cell1");
        await agent.HeartbeatAndSyncAsync();

        await AdvanceAsync(60); // Offline after 30 s of silence; not yet 60 s Offline
        Assert.Empty(_receiver.Received);
        Assert.Equal("Offline", _hub.Host.Fleet.GetDevice(OperatorScope.Admin, creds.DeviceId).Status);

        await AdvanceAsync(60); // crosses the threshold, then 500, 500 (backoff 5 s, 10 s), 200
        var attempts = _receiver.Received.Where(r => r.Name == "ops").ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.Status));
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(5), $"second attempt after {attempts[1].At - attempts[0].At}");
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromSeconds(10), $"third attempt after {attempts[2].At - attempts[1].At}");
        using (var body = JsonDocument.Parse(attempts[2].Body))
        {
            var b = body.RootElement;
            Assert.Equal(("firing", "device-offline", "device:" + creds.DeviceId, "default"),
                (b.GetProperty("status").GetString(), b.GetProperty("kind").GetString(), b.GetProperty("subject").GetString(), b.GetProperty("tenant").GetString()));
            Assert.Equal(rule.GetProperty("id").GetInt64(), b.GetProperty("rule").GetInt64());
            Assert.Contains("plant-a/line1/cell1", b.GetProperty("summary").GetString(), StringComparison.Ordinal);
        }

        var delivery = Assert.Single(await http.GetFromJsonAsync<JsonElement[]>("/api/alerts/deliveries") ?? []);
        Assert.Equal(("Delivered", 3), (delivery.GetProperty("state").GetString(), delivery.GetProperty("attempts").GetInt32()));
        Assert.Single(await http.GetFromJsonAsync<JsonElement[]>("/api/alerts") ?? []);

        // Back online: the alert resolves and a "resolved" notification goes out; nothing fires twice.
        await agent.HeartbeatAsync();
        await AdvanceAsync(2);
        Assert.Equal("resolved", JsonDocument.Parse(_receiver.Received.Last().Body).RootElement.GetProperty("status").GetString());
        Assert.Empty(await http.GetFromJsonAsync<JsonElement[]>("/api/alerts") ?? []);
        Assert.Equal(4, _receiver.Received.Count);
    }

    [Fact]
    public async Task Webhook_ReceiverAlwaysDown_FailureRecordedAfterMaxAttempts()
    {
        using var http = _hub.Client();
        await http.PostAsJsonAsync("/api/alerts/rules", new { kind = "app-failed", webhookUrl = _receiver.Url("down") });
        var (agent, creds) = await Fleets.OnboardAsync(_hub, "hw-2", "plant-a/line1/cell1");
        await agent.HeartbeatAndSyncAsync();
        // web crash-loops (Failed), mqtt runs.
        await agent.CallAsync<Heartbeat, HeartbeatAck>(Hub.Devices.DeviceResource.Heartbeat, new Heartbeat
        {
            State = UnitState.Degraded, Degraded = ["app-failed:web"], AppliedGeneration = agent.AppliedGeneration,
            AppStates = [AppStateCode.Pack(AppPhase.Failed, 5), AppStateCode.Pack(AppPhase.Running, 0)],
        });

        await AdvanceAsync(60); // attempts at +1, +5, +10, +20 s → 4 attempts, then Failed

        Assert.Equal(4, _receiver.Received.Count(r => r.Name == "down"));
        var failed = Assert.Single(await http.GetFromJsonAsync<JsonElement[]>("/api/alerts/deliveries?state=failed") ?? []);
        Assert.Equal(4, failed.GetProperty("attempts").GetInt32());
        Assert.StartsWith("HTTP 503", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains($"app:{creds.DeviceId}/web", failed.GetProperty("body").GetString(), StringComparison.Ordinal);
        // The record survives a restart (SQLite), and the alert does not fire again after it.
        await _hub.RestartAsync();
        Assert.Equal(0, _hub.Host.Alerts.Evaluate());
        Assert.Single(_hub.Host.Alerts.Deliveries(OperatorScope.Admin, "failed"));
    }

    public static TheoryData<object, string> BadRules => new()
    {
        // unknown kind
        { new { kind = "cpu-hot", webhookUrl = "http://127.0.0.1:9/x" }, "unknown alert kind 'cpu-hot'" },
        // not an http(s) URL
        { new { kind = "device-offline", webhookUrl = "file:///etc/passwd" }, "is not an absolute http(s) URL" },
        // relative URL
        { new { kind = "device-offline", webhookUrl = "/hook" }, "is not an absolute http(s) URL" },
        // negative threshold
        { new { kind = "device-offline", webhookUrl = "http://127.0.0.1:9/x", thresholdSeconds = -5 }, "thresholdSeconds -5 is out of range" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task CreateRule_BadInput_400WithReason(object body, string reason)
    {
        using var http = _hub.Client();
        var response = await http.PostAsJsonAsync("/api/alerts/rules", body);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_hub.Host.Alerts.ListRules(OperatorScope.Admin));
    }
}
