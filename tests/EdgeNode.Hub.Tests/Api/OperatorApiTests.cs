using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Tests.Support;

namespace EdgeNode.Hub.Tests.Api;

public sealed class OperatorApiTests : IAsyncLifetime
{
    private TestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await TestHub.StartAsync(network: false);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<List<(string Method, string Path)>> RoutesAsync()
    {
        using var anonymous = _hub.Client(token: null);
        var doc = await anonymous.GetFromJsonAsync<JsonElement>("/openapi.json");
        return
        [
            .. doc.GetProperty("paths").EnumerateObject()
                .SelectMany(p => p.Value.EnumerateObject().Select(m => (m.Name.ToUpperInvariant(), p.Name))),
        ];
    }

    [Fact]
    public async Task OpenApi_Document_ListsEveryMappedRoute()
    {
        var routes = await RoutesAsync();

        foreach (var expected in new[]
                 {
                     ("GET", "/api/devices"), ("GET", "/api/devices/{id}"), ("POST", "/api/enrollments/{id}/approve"),
                     ("POST", "/api/enrollments/{id}/reject"), ("POST", "/api/spec"), ("POST", "/api/devices/{id}/identify"),
                     ("POST", "/api/devices/{id}/apps/{app}/{action}"), ("GET", "/metrics"), ("GET", "/"), ("GET", "/api/slots/{path}"),
                     ("POST", "/api/tokens"), ("DELETE", "/api/tokens/{id}"),
                 })
        {
            Assert.Contains(expected, routes);
        }

        var endpoints = _hub.Host.App.Services.GetService(typeof(Microsoft.AspNetCore.Routing.EndpointDataSource)) as Microsoft.AspNetCore.Routing.EndpointDataSource;
        Assert.Equal(endpoints!.Endpoints.Count, routes.Count);
    }

    [Fact]
    public async Task EveryProtectedRoute_WithoutOrWithWrongToken_Is401()
    {
        using var anonymous = _hub.Client(token: null);
        using var wrong = _hub.Client(token: "enh_not-a-token");
        var protectedRoutes = (await RoutesAsync()).Where(r => r.Path.StartsWith("/api", StringComparison.Ordinal) || r.Path == "/metrics").ToList();
        Assert.True(protectedRoutes.Count >= 25, $"only {protectedRoutes.Count} protected routes found");

        foreach (var (method, path) in protectedRoutes)
        {
            var url = path.Replace("{id}", "1").Replace("{app}", "web").Replace("{action}", "restart").Replace("{path}", "a/b/c");
            foreach (var client in new[] { anonymous, wrong })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST")
                {
                    request.Content = JsonContent.Create(new { });
                }

                using var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {url} answered {(int)response.StatusCode} without a valid token");
            }
        }

        using var open = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Fact]
    public async Task PostSpec_InvalidYaml_400WithFileLineReasonAndPreviousSpecStays()
    {
        using var http = _hub.Client();
        var ok = await http.PostAsJsonAsync("/api/spec", new { files = Support.Specs.Plant() });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var broken = Support.Specs.Plant(webTag: "6.6");
        broken["groups/eu.yaml"] = "overlay:\n  set:\n    mqtt:\n      env: [unclosed\n";

        var response = await http.PostAsJsonAsync("/api/spec", new { files = broken });
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("groups/eu.yaml", error.GetProperty("file").GetString());
        Assert.Equal(5, error.GetProperty("line").GetInt32());
        Assert.Contains("invalid YAML", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("previous spec stays in force", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        var slot = await http.GetFromJsonAsync<JsonElement>("/api/slots/plant-a/line1/cell1");
        Assert.Equal(1UL, slot.GetProperty("currentGeneration").GetUInt64());
        Assert.Equal("registry.local/web:1.0", slot.GetProperty("apps")[0].GetProperty("image").GetString());
        var spec = await http.GetFromJsonAsync<JsonElement>("/api/spec");
        Assert.Equal(1, spec.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task TenantToken_OtherTenantsResources_404AndOwnVisible()
    {
        using var admin = _hub.Client();
        await admin.PostAsJsonAsync("/api/spec", new { files = Support.Specs.Plant() });
        var (_, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/tenants", new { id = "globex" })).StatusCode);
        var token = await (await admin.PostAsJsonAsync("/api/tokens", new { name = "globex-ops", tenant = "globex" })).Content.ReadFromJsonAsync<JsonElement>();
        using var globex = _hub.Client(token.GetProperty("token").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/devices/{creds.DeviceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsJsonAsync($"/api/devices/{creds.DeviceId}/identify", new { seconds = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/api/slots/plant-a/line1/cell1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await globex.PostAsJsonAsync("/api/tenants", new { id = "evil" })).StatusCode);
        Assert.Equal("[]", await globex.GetStringAsync("/api/devices"));
        var metrics = await globex.GetStringAsync("/metrics");
        Assert.DoesNotContain("tenant=\"default\"", metrics, StringComparison.Ordinal);
        Assert.Contains("tenant=\"globex\"", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/devices/{creds.DeviceId}")).StatusCode);

        // Revoked tokens stop working.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{token.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await globex.GetAsync("/api/devices")).StatusCode);
    }

    [Fact]
    public async Task AppAction_UnknownAppOrAction_400Or404()
    {
        using var http = _hub.Client();
        await http.PostAsJsonAsync("/api/spec", new { files = Support.Specs.Plant() });
        var (_, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync($"/api/devices/{creds.DeviceId}/apps/nosuch/restart", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync($"/api/devices/{creds.DeviceId}/apps/web/explode", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync($"/api/devices/{creds.DeviceId}/apps/web/restart", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/devices?status=sleepy")).StatusCode);
        await Fleets.EnrollAgent(_hub, "hw-r").EnrollAsync();
        var rejected = _hub.Host.Fleet.ListEnrollments(OperatorScope.Admin, EnrollmentState.Pending).Single().Id;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/enrollments/{rejected}/reject", new { reason = "no" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsJsonAsync($"/api/enrollments/{rejected}/approve", new { slot = "plant-a/line1/cell1" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/api/enrollments/999/approve", new { slot = "plant-a/line1/cell1" })).StatusCode);
    }
}
