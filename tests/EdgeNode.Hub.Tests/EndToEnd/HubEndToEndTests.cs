using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeNode.Hub.Devices;
using EdgeNode.Hub.Tests.Support;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Contracts;
using EdgeNode.Link.Dtls;

namespace EdgeNode.Hub.Tests.EndToEnd;

/// <summary>
/// One process: a real hub (HTTP API, CoAP, CoAPS) and simulated agents using the real CoAP client over UDP and
/// DTLS-PSK. The operator acts only through the HTTP API.
/// </summary>
public sealed class HubEndToEndTests : IAsyncLifetime
{
    private const string Slot = "plant-a/line1/cell1";
    private TestHub _hub = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync();
        _http = _hub.Client();
        var applied = await _http.PostAsJsonAsync("/api/spec", new { files = Support.Specs.Plant(), source = "e2e" });
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _hub.DisposeAsync();
    }

    private async Task<JsonElement> GetJson(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    private async Task<JsonElement> PostJson(string path, object body)
    {
        var response = await _http.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    /// <summary>Enrolls over DTLS with the fleet credential; the operator approves over HTTP; returns the issued credentials.</summary>
    private async Task<EnrollResponse> EnrollOverDtlsAsync(string hardwareId)
    {
        await using var enroller = new SimulatedAgent(await CoapLink.SecureAsync(_hub.CoapsEndPoint, TestHub.EnrollIdentity, TestHub.EnrollKey), hardwareId);
        var pending = await enroller.EnrollAsync(slotHint: Slot);
        Assert.Equal(EnrollStatus.Pending, pending.Status);

        var requests = await GetJson("/api/enrollments?state=pending");
        var id = requests.EnumerateArray().Single(e => e.GetProperty("hardwareId").GetString() == hardwareId).GetProperty("id").GetInt64();
        var device = await PostJson($"/api/enrollments/{id}/approve", new { slot = Slot });

        var approved = await enroller.EnrollAsync();
        Assert.Equal(EnrollStatus.Approved, approved.Status);
        Assert.Equal(device.GetProperty("id").GetString(), approved.DeviceId);
        return approved;
    }

    [Fact]
    public async Task Agent_EnrollApproveSyncTagChangeSwapOfflineRestart_OverDtls()
    {
        // Enroll and approve; the unit switches to its own identity.
        var first = await EnrollOverDtlsAsync("hw-first");
        var agent = new SimulatedAgent(await CoapLink.SecureAsync(_hub.CoapsEndPoint, first.DeviceId, first.Psk), "hw-first");
        var reg = await agent.RegisterAsync();
        Assert.Equal((1UL, 10u, Slot), (reg.DesiredGeneration, reg.HeartbeatIntervalSeconds, reg.Slot));
        var ack = await agent.HeartbeatAndSyncAsync();
        Assert.Equal(1UL, ack.DesiredGeneration);
        Assert.Equal("registry.local/web:1.0", agent.Applied!.Apps[0].Image);
        await agent.HeartbeatAsync();
        var device = await GetJson($"/api/devices/{first.DeviceId}");
        Assert.Equal(("Online", 1UL), (device.GetProperty("status").GetString(), device.GetProperty("appliedGeneration").GetUInt64()));

        // A base tag change (plus enough env to need a block-wise /ds) reaches the unit.
        var files = Support.Specs.Plant(webTag: "1.1");
        files["base/apps.yaml"] += "\n    env: {" + string.Join(", ", Enumerable.Range(0, 60).Select(i => $"VAR_{i:D2}: value-number-{i:D2}")) + "}\n";
        var applied = await PostJson("/api/spec", new { files, source = "e2e-2" });
        Assert.Contains(Slot, applied.GetProperty("changedSlots").EnumerateArray().Select(e => e.GetString()));
        ack = await agent.HeartbeatAndSyncAsync();
        Assert.Equal(2UL, ack.DesiredGeneration);
        Assert.Equal(2UL, agent.AppliedGeneration);
        Assert.Equal("registry.local/web:1.1", agent.Applied.Apps[0].Image);
        Assert.True(SimulatedAgent.Encode(agent.Applied).Length > 1100, "the desired state should need Block2 over DTLS");

        // Swap: a spare is approved into the same slot; the old identity's session is dropped and its key refused.
        var spare = await EnrollOverDtlsAsync("hw-spare");
        var link = (CoapLink)agent.Link;
        Assert.True(await Eventually.TrueAsync(() => _hub.Host.Endpoints.Dtls!.Sessions.All(s => s.Identity != first.DeviceId)));
        var refused = await Assert.ThrowsAsync<DtlsHandshakeException>(() => CoapLink.SecureAsync(_hub.CoapsEndPoint, first.DeviceId, first.Psk));
        Assert.Equal(DtlsHandshakeFailure.UnknownIdentity, refused.Reason);
        await link.DisposeAsync();
        var spareAgent = new SimulatedAgent(await CoapLink.SecureAsync(_hub.CoapsEndPoint, spare.DeviceId, spare.Psk), "hw-spare");
        await spareAgent.RegisterAsync();
        await spareAgent.HeartbeatAndSyncAsync();
        Assert.Equal(agent.Applied.Apps.Select(a => a.Image), spareAgent.Applied!.Apps.Select(a => a.Image));
        Assert.Equal("Retired", (await GetJson($"/api/devices/{first.DeviceId}")).GetProperty("status").GetString());
        var metrics = await _http.GetStringAsync("/metrics");
        Assert.Contains("edgenode_dtls_handshake_failures_total{reason=\"unknownidentity\"} 1", metrics, StringComparison.Ordinal);

        // No heartbeat for 3 × interval: Offline.
        _hub.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("Offline", (await GetJson($"/api/devices/{spare.DeviceId}")).GetProperty("status").GetString());
        await spareAgent.DisposeAsync();

        // Restart on the same data directory: everything is still there and the spare reconnects with its key.
        await _hub.RestartAsync();
        _http.Dispose();
        _http = _hub.Client();
        var after = await GetJson($"/api/devices/{spare.DeviceId}");
        Assert.Equal((Slot, 2UL), (after.GetProperty("slot").GetString(), after.GetProperty("desiredGeneration").GetUInt64()));
        Assert.Equal("Retired", (await GetJson($"/api/devices/{first.DeviceId}")).GetProperty("status").GetString());
        await using var back = new SimulatedAgent(await CoapLink.SecureAsync(_hub.CoapsEndPoint, spare.DeviceId, spare.Psk), "hw-spare");
        ack = await back.HeartbeatAsync();
        Assert.Equal(2UL, ack.DesiredGeneration);
        Assert.Equal("Online", (await GetJson($"/api/devices/{spare.DeviceId}")).GetProperty("status").GetString());
        var stillRefused = await Assert.ThrowsAsync<DtlsHandshakeException>(() => CoapLink.SecureAsync(_hub.CoapsEndPoint, first.DeviceId, first.Psk));
        Assert.Equal(DtlsHandshakeFailure.UnknownIdentity, stillRefused.Reason);
    }

    [Fact]
    public async Task Dtls_UnknownIdentityOrWrongKey_HandshakeRefused()
    {
        var unknown = await Assert.ThrowsAsync<DtlsHandshakeException>(() => CoapLink.SecureAsync(_hub.CoapsEndPoint, "d-123456789abc", new byte[16]));
        Assert.Equal(DtlsHandshakeFailure.UnknownIdentity, unknown.Reason);
    }

    [Fact]
    public async Task PlainCoap_MalformedPayloadAndUnknownDevice_AnsweredWithCodeAndReason()
    {
        await using var link = CoapLink.Plain(_hub.CoapEndPoint, "d-000000000000");
        await using var anonymous = CoapLink.Plain(_hub.CoapEndPoint, null);

        var unknown = await link.SendAsync(DeviceResource.Heartbeat, SimulatedAgent.Encode(new Heartbeat { Sequence = 1 }));
        var noIdentity = await anonymous.SendAsync(DeviceResource.Heartbeat, SimulatedAgent.Encode(new Heartbeat { Sequence = 1 }));
        var malformedEnroll = await anonymous.SendAsync(DeviceResource.Enroll, new byte[] { 0x0A, 0x7F, 0x41 });
        var wellKnown = await link.Client.SendAsync(CoapMethod.Get, ".well-known/core");

        Assert.Equal(DeviceReplyCode.Unauthorized, unknown.Code);
        Assert.Contains("unknown device 'd-000000000000'", SimulatedAgent.Decode<ErrorBody>(unknown.Payload).Reason, StringComparison.Ordinal);
        Assert.Equal(DeviceReplyCode.Unauthorized, noIdentity.Code);
        Assert.Equal(DeviceReplyCode.BadRequest, malformedEnroll.Code);
        Assert.Contains("malformed EnrollRequest", SimulatedAgent.Decode<ErrorBody>(malformedEnroll.Payload).Reason, StringComparison.Ordinal);
        foreach (var path in new[] { "enroll", "reg", "hb", "ds", "st", "ev", "cmd" })
        {
            Assert.Contains($"</{path}>", wellKnown.PayloadText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Metrics_BadDatagramsAndHeartbeats_CountedByReason()
    {
        using var udp = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(new byte[] { 0x40 }, _hub.CoapEndPoint); // shorter than the 4-byte header
        await udp.SendAsync(new byte[] { 0x49, 0x01, 0x00, 0x01 }, _hub.CoapEndPoint); // CON with TKL 9 (reserved)
        await using var link = CoapLink.Plain(_hub.CoapEndPoint, "d-000000000000");
        await link.SendAsync(DeviceResource.Heartbeat, new byte[] { 0x0F }); // unknown device → 4.01 (before decoding)

        string metrics = "";
        Assert.True(await Eventually.TrueAsync(() =>
        {
            metrics = _http.GetStringAsync("/metrics").GetAwaiter().GetResult();
            return metrics.Contains("edgenode_coap_bad_datagrams_total{endpoint=\"coap\",reason=\"truncated\"} 1", StringComparison.Ordinal)
                && metrics.Contains("edgenode_coap_bad_datagrams_total{endpoint=\"coap\",reason=\"token_length\"} 1", StringComparison.Ordinal);
        }), metrics);
        Assert.Contains("edgenode_hub_device_requests_rejected_total 1", metrics, StringComparison.Ordinal);
        Assert.Contains("edgenode_hub_devices{tenant=\"default\",status=\"online\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("edgenode_hub_heartbeats_total 0", metrics, StringComparison.Ordinal);
        Assert.Contains("edgenode_dtls_handshake_failures_total{reason=\"unknownidentity\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("edgenode_hub_events_stored_total 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainCoap_DevAgent_EnrollsHeartbeatsAndFetchesState()
    {
        await using var enroller = new SimulatedAgent(CoapLink.Plain(_hub.CoapEndPoint, null), "hw-dev");
        Assert.Equal(EnrollStatus.Pending, (await enroller.EnrollAsync(slotHint: "plant-b/line1/cell1")).Status);
        var id = (await GetJson("/api/enrollments?state=pending")).EnumerateArray().Single().GetProperty("id").GetInt64();
        await PostJson($"/api/enrollments/{id}/approve", new { });
        var approved = await enroller.EnrollAsync();

        await using var agent = new SimulatedAgent(CoapLink.Plain(_hub.CoapEndPoint, approved.DeviceId), "hw-dev");
        var ack = await agent.HeartbeatAndSyncAsync();

        Assert.Equal(1UL, ack.DesiredGeneration);
        Assert.Equal(["web", "mqtt"], agent.Applied!.Apps.Select(a => a.Name).ToArray());
        Assert.Equal(1, (await GetJson("/api/summary")).GetProperty("online").GetInt32());
    }
}
