using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Tests.Integration;

/// <summary>
/// The real hub in this process on fixed free ports (so it can be stopped and started again at the same address
/// while an agent keeps its config), with a data directory that survives restarts, driven through its HTTP API.
/// </summary>
internal sealed class LiveHub : IAsyncDisposable
{
    public const string EnrollIdentity = "enroll-agent-tests";
    public static readonly byte[] EnrollKey = Convert.FromHexString("0f1e2d3c4b5a69788796a5b4c3d2e1f0");

    private HubHost? _host;

    public LiveHub()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "edgenode-agent-hub-" + Guid.NewGuid().ToString("N"));
        CoapsPort = FreeUdpPort();
        CoapPort = FreeUdpPort();
    }

    public string DataDirectory { get; }

    public int CoapsPort { get; }

    public int CoapPort { get; }

    public string Token { get; private set; } = "";

    public bool Running => _host is not null;

    public HttpClient Http { get; private set; } = new();

    public async Task StartAsync()
    {
        var options = new HubOptions
        {
            DataDirectory = DataDirectory,
            HttpUrl = "http://127.0.0.1:0",
            CoapBindAddress = "127.0.0.1",
            CoapPort = CoapPort,
            CoapsPort = CoapsPort,
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            TokenOutput = TextWriter.Null,
        };
        options.EnrollmentCredentials.Add(new EnrollmentCredential(EnrollIdentity, EnrollKey));
        _host = HubHost.Create(options, TimeProvider.System, l => l.SetMinimumLevel(LogLevel.Warning));
        await _host.StartAsync();
        if (_host.GeneratedAdminToken is { } token)
        {
            Token = token;
        }

        Http.Dispose();
        Http = new HttpClient { BaseAddress = _host.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task StopAsync()
    {
        if (_host is null)
        {
            return;
        }

        await _host.StopAsync();
        await _host.DisposeAsync();
        _host = null;
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        var response = await Http.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task ApplySpecAsync(string slot, string image, string command = "sleep 3600") => PostAsync("/api/spec", new
    {
        source = "agent-tests",
        files = new Dictionary<string, string>
        {
            ["base/apps.yaml"] = $$"""
                apps:
                  ticker:
                    image: {{image}}
                    command: ["/bin/sh", "-c", "{{command}}"]
                    priority: critical
                """,
            [$"sites/{slot.Split('/')[0]}.yaml"] = $$"""
                slots:
                  {{string.Join('/', slot.Split('/').Skip(1))}}:
                """,
        },
    });

    /// <summary>Approves the pending enrollment of <paramref name="hardwareId"/> into <paramref name="slot"/>; returns the device id.</summary>
    public async Task<string?> TryApproveAsync(string hardwareId, string slot)
    {
        var pending = await GetAsync("/api/enrollments?state=pending");
        var request = pending.EnumerateArray().FirstOrDefault(e => e.GetProperty("hardwareId").GetString() == hardwareId);
        if (request.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        var device = await PostAsync($"/api/enrollments/{request.GetProperty("id").GetInt64()}/approve", new { slot });
        return device.GetProperty("id").GetString();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreeUdpPort()
    {
        using var s = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.Client.LocalEndPoint!).Port;
    }
}
