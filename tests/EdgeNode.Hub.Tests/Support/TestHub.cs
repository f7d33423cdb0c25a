using System.Net;
using System.Net.Http.Headers;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hub.Tests.Support;

/// <summary>A real hub in this process: ephemeral HTTP, CoAP and CoAPS ports, a temp data directory, fake business time.</summary>
public sealed class TestHub : IAsyncDisposable
{
    public const string EnrollIdentity = "enroll-acme";
    public static readonly byte[] EnrollKey = Convert.FromHexString("00112233445566778899aabbccddeeff");

    private readonly bool _network;

    private TestHub(string dataDir, FakeTimeProvider time, bool network, HubHost host, string token)
    {
        DataDir = dataDir;
        Time = time;
        _network = network;
        Host = host;
        Token = token;
    }

    public string DataDir { get; }

    public FakeTimeProvider Time { get; }

    public HubHost Host { get; private set; }

    /// <summary>The admin token printed at the first start.</summary>
    public string Token { get; }

    public IPEndPoint CoapEndPoint => Loopback(Host.Endpoints.CoapEndPoint!);

    public IPEndPoint CoapsEndPoint => Loopback(Host.Endpoints.CoapsEndPoint!);

    public Uri Http => Host.HttpAddress;

    public static async Task<TestHub> StartAsync(bool network = true, string? dataDir = null, Action<HubOptions>? configure = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "edgenode-hub-test-" + Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var host = Create(dataDir, time, network, configure);
        await host.StartAsync();
        return new TestHub(dataDir, time, network, host, host.GeneratedAdminToken ?? throw new InvalidOperationException("no admin token printed at first start"));
    }

    private static HubHost Create(string dataDir, FakeTimeProvider time, bool network, Action<HubOptions>? configure)
    {
        var options = new HubOptions
        {
            DataDirectory = dataDir,
            HttpUrl = "http://127.0.0.1:0",
            CoapBindAddress = "127.0.0.1",
            CoapPort = network ? 0 : -1,
            CoapsPort = network ? 0 : -1,
            HeartbeatInterval = TimeSpan.FromSeconds(10),
            TokenOutput = TextWriter.Null,
        };
        options.EnrollmentCredentials.Add(new EnrollmentCredential(EnrollIdentity, EnrollKey));
        configure?.Invoke(options);
        return HubHost.Create(options, time, l => l.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>Stops the hub (final flush) and starts a new one on the same data directory.</summary>
    public async Task RestartAsync(Action<HubOptions>? configure = null)
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        Host = Create(DataDir, Time, _network, configure);
        Assert.Null(Host.GeneratedAdminToken); // the first token stays the only one
        await Host.StartAsync();
    }

    public HttpClient Client(string? token = "")
    {
        var client = new HttpClient { BaseAddress = Http, Timeout = TimeSpan.FromSeconds(30) };
        token = token == "" ? Token : token;
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static IPEndPoint Loopback(IPEndPoint ep) => new(IPAddress.Loopback, ep.Port);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
