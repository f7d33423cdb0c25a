using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>
/// The hub (<c>edgenode-hub serve</c>, the built JIT assembly) on loopback with a fresh data directory: CoAPS on an
/// ephemeral port, plain CoAP off unless asked, the HTTP API on an ephemeral port, a spec directory and one fleet
/// enrollment credential. It captures the admin token printed at first start.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly ManagedProcess _process;
    private readonly HttpClient _http;

    private HubProcess(ManagedProcess process, HttpClient http, int coapsPort, int coapPort, string token)
    {
        _process = process;
        _http = http;
        CoapsPort = coapsPort;
        CoapPort = coapPort;
        AdminToken = token;
    }

    public int CoapsPort { get; }

    /// <summary>The plain CoAP port, or -1 when off.</summary>
    public int CoapPort { get; }

    public string AdminToken { get; }

    public ManagedProcess Process => _process;

    public HttpClient Http => _http;

    public static async Task<(HubProcess? Hub, string? Reason)> StartAsync(string hubAssembly, string dataDirectory, string specDirectory,
        string enrollmentIdentity, byte[] enrollmentKey, bool plainCoap, IEnumerable<string> extraArguments, CancellationToken cancellationToken)
    {
        int coaps = FreePorts.Pair();
        int coap = plainCoap ? FreePorts.Pair() : -1;
        int httpPort = FreeTcpPort();
        List<string> args =
        [
            hubAssembly, "serve", "--data-dir", dataDirectory, "--http", $"http://127.0.0.1:{httpPort}", "--bind", "127.0.0.1",
            "--coap-port", coap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--coaps-port", coaps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--spec-dir", specDirectory,
            "--enroll", $"{enrollmentIdentity}={Convert.ToHexString(enrollmentKey)}",
        ];
        args.AddRange(extraArguments);
        var process = ManagedProcess.Start("hub", Tools.Find("dotnet") ?? "dotnet", args,
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        bool up = await process.WaitUntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/healthz", cancellationToken)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), cancellationToken);
        string? token = up ? AdminTokenFrom(process) : null;
        if (!up || token is null)
        {
            string why = !up ? "did not answer /healthz within 60 s" : "printed no admin token";
            string tail = process.Tail();
            http.Dispose();
            await process.DisposeAsync();
            return (null, $"hub {why}: {tail}");
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (new HubProcess(process, http, coaps, coap, token), null);
    }

    /// <summary>Creates a slot-scoped enrollment token (auto-approval into <paramref name="slot"/>).</summary>
    public async Task<string> CreateEnrollmentTokenAsync(string slot, int uses, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("/api/enrollment-tokens", new Dictionary<string, object> { ["slot"] = slot, ["validHours"] = 1, ["uses"] = uses }, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"hub POST /api/enrollment-tokens answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("token").GetString() ?? throw new InvalidOperationException($"hub enrollment token response has no token: {body}");
    }

    public async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(body)
            : throw new InvalidOperationException($"hub GET {path} answered {(int)response.StatusCode}: {body}");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    private static string? AdminTokenFrom(ManagedProcess process)
    {
        var lines = process.Tail(200).Split('\n');
        int i = Array.FindIndex(lines, l => l.Contains("created the admin API token", StringComparison.Ordinal));
        return i >= 0 && i + 1 < lines.Length && lines[i + 1].Trim().Length > 0 ? lines[i + 1].Trim() : null;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
