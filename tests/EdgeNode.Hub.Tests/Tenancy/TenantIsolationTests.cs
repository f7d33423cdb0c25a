using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Tests.Support;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Tenancy;

/// <summary>
/// Every HTTP route, enumerated from /openapi.json: a tenant token ("globex") aimed at another tenant's ("default")
/// devices, slots, enrollments, tokens, specs, rollouts and alert rules gets 404 and changes nothing; its lists and
/// /metrics never show the other tenant; an admin token sees both. A route without a case here fails the test.
/// </summary>
public sealed class TenantIsolationTests : IAsyncLifetime
{
    private static readonly string[] PublicRoutes = ["GET /", "GET /healthz", "GET /openapi.json", "GET /rollouts"];
    private TestHub _hub = null!;
    private string _specDir = "";
    private string _aDevice = "", _bDevice = "";
    private long _aEnrollment, _aEnrollmentToken, _aToken, _aCommand, _aRollout, _aRule;
    private string _bToken = "";
    private long _aRevision;

    private static Dictionary<string, string> GlobexSpec(string tag) => new()
    {
        ["base/apps.yaml"] = $"apps:\n  vision:\n    image: registry.local/vision:{tag}\n",
        ["sites/globex-1.yaml"] = "slots:\n  line1/cell1:\n  line1/cell2:\n",
    };

    public async Task InitializeAsync()
    {
        _specDir = Path.Combine(Path.GetTempPath(), "edgenode-iso-spec-" + Guid.NewGuid().ToString("N"));
        foreach (var (path, text) in Support.Specs.Plant())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_specDir, path))!);
            await File.WriteAllTextAsync(Path.Combine(_specDir, path), text);
        }

        _hub = await TestHub.StartAsync(network: false, configure: o => o.SpecDirectory = _specDir);
        var fleet = _hub.Host.Fleet;
        using var admin = _hub.Client();

        // Tenant "default" (A): a device with a command, a pending enrollment, an enrollment token, a token, a rollout, an alert rule.
        var (agentA, credsA) = await Fleets.OnboardAsync(_hub, "hw-acme", "plant-a/line1/cell1");
        _aDevice = credsA.DeviceId;
        await agentA.HeartbeatAndSyncAsync();
        await agentA.HeartbeatAsync();
        _aCommand = fleet.EnqueueCommand(OperatorScope.Admin, _aDevice, CommandKind.Identify, "", 5, 0).Id;
        await Fleets.EnrollAgent(_hub, "hw-acme-2").EnrollAsync(slotHint: "plant-a/line1/cell2");
        _aEnrollment = fleet.ListEnrollments(OperatorScope.Admin, EnrollmentState.Pending).Single().Id;
        _aEnrollmentToken = fleet.CreateEnrollmentToken(OperatorScope.Admin, "plant-b/line1/cell1", TimeSpan.FromHours(1), 1).Id;
        _aToken = _hub.Host.Tokens.Create(OperatorScope.Admin, "acme-ops", FleetDefaults.DefaultTenant).Id;
        _aRollout = _hub.Host.Rollouts.Create(OperatorScope.Admin, new(Files: Support.Specs.Plant(webTag: "1.1"), SoakSeconds: 3600)).Id;
        _aRevision = fleet.CurrentSpec(OperatorScope.Admin, null).Revision;
        _aRule = _hub.Host.Alerts.CreateRule(OperatorScope.Admin, new("device-offline", "http://127.0.0.1:9/acme-hook", 60, FleetDefaults.DefaultTenant)).Id;

        // Tenant "globex" (B): everything through its own token.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/tenants", new { id = "globex" })).StatusCode);
        _bToken = (await (await admin.PostAsJsonAsync("/api/tokens", new { name = "globex-ops", tenant = "globex" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("token").GetString()!;
        using var b = _hub.Client(_bToken);
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsJsonAsync("/api/spec", new { files = GlobexSpec("1.0") })).StatusCode);
        var (agentB, credsB) = await Fleets.OnboardAsync(_hub, "hw-globex", "globex-1/line1/cell1");
        _bDevice = credsB.DeviceId;
        await agentB.HeartbeatAndSyncAsync();
        Assert.Equal(HttpStatusCode.Created, (await b.PostAsJsonAsync("/api/rollouts", new { files = GlobexSpec("1.1"), soakSeconds = 3600 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await b.PostAsJsonAsync("/api/alerts/rules", new { kind = "app-failed", webhookUrl = "http://127.0.0.1:9/globex-hook" })).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_specDir, recursive: true);
    }

    /// <summary>Things of tenant A that must never appear in an answer to tenant B.</summary>
    private string[] AMarkers => [_aDevice, "hw-acme", "plant-a", "plant-b", "acme-ops", "acme-hook", "tenant=\"default\"", "\"tenant\":\"default\""];

    /// <summary>For each route: the request tenant B makes against tenant A's things, and the statuses allowed.</summary>
    private Dictionary<string, (string Url, object? Body, HttpStatusCode[] Allowed)> Cases()
    {
        var ok = new[] { HttpStatusCode.OK };
        var notFound = new[] { HttpStatusCode.NotFound };
        return new()
        {
            ["GET /api/summary"] = ("/api/summary?site=plant-a", null, ok),
            ["GET /api/devices"] = ("/api/devices?site=plant-a", null, ok),
            ["GET /api/devices/{id}"] = ($"/api/devices/{_aDevice}", null, notFound),
            ["GET /api/devices/{id}/events"] = ($"/api/devices/{_aDevice}/events", null, notFound),
            ["GET /api/devices/{id}/commands"] = ($"/api/devices/{_aDevice}/commands", null, notFound),
            ["POST /api/devices/{id}/identify"] = ($"/api/devices/{_aDevice}/identify", new { seconds = 5 }, notFound),
            ["POST /api/devices/{id}/apps/{app}/{action}"] = ($"/api/devices/{_aDevice}/apps/web/restart", new { }, notFound),
            ["POST /api/devices/{id}/retire"] = ($"/api/devices/{_aDevice}/retire", new { reason = "stolen" }, notFound),
            ["GET /api/commands/{id}"] = ($"/api/commands/{_aCommand}", null, notFound),
            ["GET /api/enrollments"] = ("/api/enrollments", null, ok),
            ["GET /api/enrollments/{id}"] = ($"/api/enrollments/{_aEnrollment}", null, notFound),
            ["POST /api/enrollments/{id}/approve"] = ($"/api/enrollments/{_aEnrollment}/approve", new { slot = "globex-1/line1/cell2" }, notFound),
            ["POST /api/enrollments/{id}/reject"] = ($"/api/enrollments/{_aEnrollment}/reject", new { reason = "x" }, notFound),
            ["GET /api/enrollment-tokens"] = ("/api/enrollment-tokens", null, ok),
            ["POST /api/enrollment-tokens"] = ("/api/enrollment-tokens", new { slot = "plant-b/line1/cell1" }, notFound),
            ["DELETE /api/enrollment-tokens/{id}"] = ($"/api/enrollment-tokens/{_aEnrollmentToken}", null, notFound),
            ["GET /api/sites"] = ("/api/sites", null, ok),
            ["GET /api/slots"] = ("/api/slots?site=plant-a", null, ok),
            ["GET /api/slots/{path}"] = ("/api/slots/plant-a/line1/cell1?generation=1", null, notFound),
            ["GET /api/spec"] = ("/api/spec?tenant=default", null, notFound),
            ["POST /api/spec"] = ("/api/spec?tenant=default", new { files = Support.Specs.Plant(webTag: "6.6") }, notFound),
            ["POST /api/spec/reload"] = ("/api/spec/reload", new { }, notFound),
            ["GET /api/tenants"] = ("/api/tenants", null, ok),
            ["POST /api/tenants"] = ("/api/tenants", new { id = "evil" }, [HttpStatusCode.Forbidden]), // admin-only, not tenant data
            ["GET /api/tokens"] = ("/api/tokens", null, ok),
            ["POST /api/tokens"] = ("/api/tokens", new { name = "sneaky", tenant = "default" }, notFound),
            ["DELETE /api/tokens/{id}"] = ($"/api/tokens/{_aToken}", null, notFound),
            ["GET /metrics"] = ("/metrics", null, ok),
            ["GET /api/rollouts"] = ("/api/rollouts", null, ok),
            ["POST /api/rollouts"] = ("/api/rollouts", new { tenant = "default", files = Support.Specs.Plant(webTag: "6.6") }, notFound),
            ["GET /api/rollouts/{id}"] = ($"/api/rollouts/{_aRollout}", null, notFound),
            ["POST /api/rollouts/{id}/pause"] = ($"/api/rollouts/{_aRollout}/pause", null, notFound),
            ["POST /api/rollouts/{id}/resume"] = ($"/api/rollouts/{_aRollout}/resume", null, notFound),
            ["POST /api/rollouts/{id}/abort"] = ($"/api/rollouts/{_aRollout}/abort", null, notFound),
            ["POST /api/rollouts/{id}/rollback"] = ($"/api/rollouts/{_aRollout}/rollback", null, notFound),
            ["GET /api/alerts"] = ("/api/alerts", null, ok),
            ["GET /api/alerts/rules"] = ("/api/alerts/rules", null, ok),
            ["POST /api/alerts/rules"] = ("/api/alerts/rules", new { kind = "device-offline", webhookUrl = "http://127.0.0.1:9/x", tenant = "default" }, notFound),
            ["DELETE /api/alerts/rules/{id}"] = ($"/api/alerts/rules/{_aRule}", null, notFound),
            ["GET /api/alerts/deliveries"] = ("/api/alerts/deliveries", null, ok),
        };
    }

    private async Task<List<string>> RoutesAsync()
    {
        using var anonymous = _hub.Client(token: null);
        var doc = await anonymous.GetFromJsonAsync<JsonElement>("/openapi.json");
        return [.. doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => m.Name.ToUpperInvariant() + " " + p.Name))];
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, string method, string url, object? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null || method == "POST")
        {
            request.Content = JsonContent.Create(body ?? new { });
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryRoute_TenantTokenAgainstOtherTenant_404AndNothingLeaksOrChanges()
    {
        var routes = await RoutesAsync();
        var cases = Cases();
        var missing = routes.Where(r => !cases.ContainsKey(r) && !PublicRoutes.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "routes without a tenant-isolation case: " + string.Join(", ", missing));
        Assert.True(routes.Count >= 40, $"only {routes.Count} routes in the OpenAPI document");
        using var b = _hub.Client(_bToken);

        foreach (var route in routes.Where(cases.ContainsKey))
        {
            var (url, body, allowed) = cases[route];
            var (status, text) = await SendAsync(b, route.Split(' ')[0], url, body);
            Assert.True(allowed.Contains(status), $"{route} ({url}) as tenant globex answered {(int)status}: {text}");
            var asked = url + (body is null ? "" : JsonSerializer.Serialize(body));
            foreach (var marker in AMarkers.Where(m => !asked.Contains(m, StringComparison.Ordinal))) // echoing B's own request is no leak
            {
                Assert.False(text.Contains(marker, StringComparison.Ordinal), $"{route} ({url}) as tenant globex leaked '{marker}': {text}");
            }
        }

        // Nothing of tenant A changed.
        var fleet = _hub.Host.Fleet;
        Assert.Equal("Online", fleet.GetDevice(OperatorScope.Admin, _aDevice).Status);
        Assert.Single(fleet.ListCommands(OperatorScope.Admin, _aDevice));
        Assert.Equal(nameof(EnrollmentState.Pending), fleet.GetEnrollment(OperatorScope.Admin, _aEnrollment).State);
        Assert.Contains(fleet.ListEnrollmentTokens(OperatorScope.Admin), t => t.Id == _aEnrollmentToken && !t.Revoked);
        Assert.Null(_hub.Host.Tokens.List(OperatorScope.Admin).Single(t => t.Id == _aToken).Revoked);
        Assert.Equal(EdgeNode.Hub.Rollouts.RolloutState.Running, _hub.Host.Rollouts.Get(OperatorScope.Admin, _aRollout).State);
        Assert.Contains(_hub.Host.Alerts.ListRules(OperatorScope.Admin), r => r.Id == _aRule);
        Assert.Equal(_aRevision, fleet.CurrentSpec(OperatorScope.Admin, null).Revision);
        Assert.Equal(2, fleet.ListSites(OperatorScope.Admin).Count(s => s.Tenant == FleetDefaults.DefaultTenant));
        Assert.DoesNotContain(fleet.ListTenants(OperatorScope.Admin), t => t.Id == "evil");
    }

    [Fact]
    public async Task ListRoutes_TenantSeesOnlyItsOwn_AdminSeesBoth()
    {
        using var b = _hub.Client(_bToken);
        using var admin = _hub.Client();
        var lists = new (string Url, string BMarker, string AMarker)[]
        {
            ("/api/devices", _bDevice, _aDevice),
            ("/api/sites", "globex-1", "plant-a"),
            ("/api/slots", "globex-1/line1/cell1", "plant-a/line1/cell1"),
            ("/api/rollouts", "\"tenant\":\"globex\"", "\"tenant\":\"default\""),
            ("/api/alerts/rules", "globex-hook", "acme-hook"),
            ("/api/tokens", "globex-ops", "acme-ops"),
            ("/api/tenants", "globex", "\"id\":\"default\""),
            ("/metrics", "tenant=\"globex\"", "tenant=\"default\""),
        };
        foreach (var (url, bMarker, aMarker) in lists)
        {
            var mine = await b.GetStringAsync(url);
            Assert.True(mine.Contains(bMarker, StringComparison.Ordinal), $"{url} as globex misses its own '{bMarker}': {mine}");
            Assert.False(mine.Contains(aMarker, StringComparison.Ordinal), $"{url} as globex shows '{aMarker}'");
            var all = await admin.GetStringAsync(url);
            Assert.True(all.Contains(bMarker, StringComparison.Ordinal) && all.Contains(aMarker, StringComparison.Ordinal), $"{url} as admin misses a tenant: {all}");
        }

        // Tenant B can act on its own rollout.
        var own = (await b.GetFromJsonAsync<JsonElement>("/api/rollouts")).EnumerateArray().Single().GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsync($"/api/rollouts/{own}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/rollouts/{_aRollout}")).StatusCode);
    }
}
