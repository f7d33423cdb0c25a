using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace EdgeNode.E2E.Tests.Hub;

/// <summary>
/// The real hub (<c>edgenode-hub serve</c>, built next to this test assembly) as a separate process on the test host:
/// CoAPS on an ephemeral 127.0.0.1 UDP port (the factory image's config points the guest at 10.0.2.2:5684, which
/// qemu's user networking maps to the host's 127.0.0.1:5684; test machines redirect that to this port, see
/// <see cref="Qemu.QemuMachineOptions.HubPort"/>), the HTTP API on an ephemeral loopback port, a data directory
/// that survives <see cref="StopAsync"/>/<see cref="StartAsync"/> (hub outage), and the fleet enrollment
/// credential of the factory config. The admin token printed at the first start is kept for the API calls.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string _enrollment;
    private readonly string _logPath;
    private readonly int _httpPort;
    private readonly HttpClient _http;
    private Process? _process;
    private string? _token;
    private TaskCompletionSource<string> _tokenSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HubProcess(string workDirectory, string enrollIdentity, string enrollKeyHex)
    {
        Directory.CreateDirectory(workDirectory);
        _dataDirectory = Path.Combine(workDirectory, "hub-data");
        _logPath = Path.Combine(workDirectory, "hub.log");
        _enrollment = $"{enrollIdentity}={enrollKeyHex}";
        _httpPort = FreeTcpPort();
        CoapsPort = FreeUdpPort();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The hub's CoAPS (DTLS-PSK) port on 127.0.0.1; the same across restarts.</summary>
    public int CoapsPort { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The hub's log (stdout and stderr of every start) so far.</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(_logPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the hub is already running");
        }

        EnsureUdpPortFree(CoapsPort);
        var dll = Path.Combine(AppContext.BaseDirectory, "edgenode-hub.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     dll, "serve", "--data-dir", _dataDirectory, "--http", $"http://127.0.0.1:{_httpPort}", "--bind", "127.0.0.1",
                     "--coap-port", "-1", "--coaps-port", CoapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--enroll", _enrollment, "--heartbeat-interval", "5",
                 })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("edgenode-hub did not start");
        _process = process;
        var log = new StreamWriter(new FileStream(_logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var expectToken = false;
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.WriteLine(line);
            }

            if (line.Contains("created the admin API token", StringComparison.Ordinal))
            {
                expectToken = true;
            }
            else if (expectToken && line.StartsWith("  ", StringComparison.Ordinal))
            {
                expectToken = false;
                _tokenSeen.TrySetResult(line.Trim());
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (_token is null)
        {
            _token = await _tokenSeen.Task.WaitAsync(TimeSpan.FromSeconds(120));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"edgenode-hub exited with code {process.ExitCode} at start; log:\n{File.ReadAllText(_logPath)}");
            }

            try
            {
                if ((await _http.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet: poll until the deadline
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"edgenode-hub did not answer /healthz within 120 s; log:\n{File.ReadAllText(_logPath)}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Stops the hub (SIGTERM, then SIGKILL after 20 s). Its data directory stays.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return await ReadAsync(response, "GET", path);
    }

    public async Task<JsonNode> PostAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        return await ReadAsync(response, "POST", path);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _http.Dispose();
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, string method, string path)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"hub {method} {path}: {(int)response.StatusCode} {response.StatusCode}: {text}", null, response.StatusCode);
        }

        return string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static int FreeTcpPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private static void EnsureUdpPortFree(int port)
    {
        try
        {
            using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"UDP 127.0.0.1:{port} for the e2e hub is in use ({e.Message})", e);
        }
    }
}
