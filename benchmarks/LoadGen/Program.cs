using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeNode.Hub.Store;
using EdgeNode.LoadGen;

// edgenode-loadgen: simulated agents heartbeating against a running hub over plain CoAP and DTLS.
//   seed  --data-dir DIR --devices N                      write N approved devices into a hub data dir
//   run   --mode plain|dtls --port P [--host 127.0.0.1] --agents N [--duration 20] [--pause-ms 0] [--hub-pid PID]
//   bench [--devices 100000] [--agents 1000] [--duration 20] [--hub-dll PATH]   seed + start hub + plain + dtls, Markdown report
var options = ParseArgs(args);
var mode = args.Length > 0 ? args[0] : "bench";
switch (mode)
{
    case "seed":
        LoadTestSeeder.Seed(Get("data-dir", "hub-data"), int.Parse(Get("devices", "1000"), CultureInfo.InvariantCulture));
        return 0;
    case "run":
    {
        var result = await new LoadRunner
        {
            Hub = new IPEndPoint(IPAddress.Parse(Get("host", "127.0.0.1")), int.Parse(Get("port", "5683"), CultureInfo.InvariantCulture)),
            Dtls = Get("mode", "plain") == "dtls",
            Agents = int.Parse(Get("agents", "1000"), CultureInfo.InvariantCulture),
            FirstDevice = int.Parse(Get("first-device", "0"), CultureInfo.InvariantCulture),
            Duration = TimeSpan.FromSeconds(double.Parse(Get("duration", "20"), CultureInfo.InvariantCulture)),
            PauseMs = int.Parse(Get("pause-ms", "0"), CultureInfo.InvariantCulture),
            Sources = int.Parse(Get("sources", "8"), CultureInfo.InvariantCulture),
            HubPid = int.Parse(Get("hub-pid", "0"), CultureInfo.InvariantCulture),
        }.RunAsync();
        Console.WriteLine(result);
        return 0;
    }

    case "bench":
        return await BenchAsync();
    default:
        Console.Error.WriteLine($"unknown mode '{mode}' (seed, run, bench)");
        return 2;
}

async Task<int> BenchAsync()
{
    var devices = int.Parse(Get("devices", "100000"), CultureInfo.InvariantCulture);
    var agents = int.Parse(Get("agents", "1000"), CultureInfo.InvariantCulture);
    var duration = TimeSpan.FromSeconds(double.Parse(Get("duration", "20"), CultureInfo.InvariantCulture));
    var hubDll = Get("hub-dll", Path.Combine(AppContext.BaseDirectory, "edgenode-hub.dll"));
    var dataDir = Path.Combine(Path.GetTempPath(), "edgenode-loadgen-" + Guid.NewGuid().ToString("N"));
    var seedWatch = Stopwatch.StartNew();
    LoadTestSeeder.Seed(dataDir, devices);
    Console.WriteLine($"seeded {devices} devices into {dataDir} in {seedWatch.Elapsed.TotalSeconds:F1} s");

    int coap = FreeUdpPort(), coaps = FreeUdpPort(), http = FreeTcpPort();
    var psi = new ProcessStartInfo("dotnet")
    {
        ArgumentList = { hubDll, "serve", "--data-dir", dataDir, "--http", $"http://127.0.0.1:{http}", "--bind", "127.0.0.1",
            "--coap-port", coap.ToString(CultureInfo.InvariantCulture), "--coaps-port", coaps.ToString(CultureInfo.InvariantCulture) },
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        Environment = { ["Logging__LogLevel__Default"] = "Warning", ["DOTNET_gcServer"] = Get("hub-server-gc", "0") },
    };
    using var hub = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the hub");
    hub.OutputDataReceived += (_, _) => { };
    hub.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("hub: " + e.Data); };
    hub.BeginOutputReadLine();
    hub.BeginErrorReadLine();
    try
    {
        using var client = new HttpClient();
        var startWatch = Stopwatch.StartNew();
        while (true)
        {
            if (hub.HasExited)
            {
                Console.Error.WriteLine($"the hub exited with {hub.ExitCode}");
                return 1;
            }

            try
            {
                if ((await client.GetAsync($"http://127.0.0.1:{http}/healthz")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (startWatch.Elapsed > TimeSpan.FromMinutes(3))
            {
                Console.Error.WriteLine("the hub did not answer /healthz within 3 minutes");
                return 1;
            }

            await Task.Delay(200);
        }

        Console.WriteLine($"hub pid {hub.Id} ready in {startWatch.Elapsed.TotalSeconds:F1} s with {devices} devices");
        GC.Collect();
        await Task.Delay(2000);
        var idleRss = ProcStat.RssBytes(hub.Id);
        var results = new List<LoadResult>();
        foreach (var dtls in new[] { false, true })
        {
            var result = await new LoadRunner
            {
                Hub = new IPEndPoint(IPAddress.Loopback, dtls ? coaps : coap),
                Dtls = dtls,
                Agents = Math.Min(agents, devices),
                Duration = duration,
                HubPid = hub.Id,
            }.RunAsync();
            Console.WriteLine(result);
            results.Add(result);
        }

        Console.WriteLine();
        Console.WriteLine($"| transport | agents | heartbeats/s | p50 ms | p99 ms | errors | timeouts | hub CPU (cores) | hub RSS after | hub peak RSS |");
        Console.WriteLine($"|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Mode} | {r.Agents} | {r.PerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.Errors} | {r.Timeouts} | {r.HubCpuCores:F2} | {r.HubRssBytes / 1048576.0:F0} MiB | {r.HubPeakRssBytes / 1048576.0:F0} MiB |");
        }

        Console.WriteLine();
        Console.WriteLine($"hub RSS with {devices} registered devices, idle after start: {idleRss / 1048576.0:F0} MiB");
        return 0;
    }
    finally
    {
        if (!hub.HasExited)
        {
            hub.Kill(entireProcessTree: true);
            await hub.WaitForExitAsync();
        }

        Directory.Delete(dataDir, recursive: true);
    }
}

static int FreeUdpPort()
{
    using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    return ((IPEndPoint)s.LocalEndPoint!).Port;
}

static int FreeTcpPort()
{
    var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    var port = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return port;
}

string Get(string name, string fallback) => options.TryGetValue(name, out var v) ? v : fallback;

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 1; i < args.Length - 1; i++)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal))
        {
            result[args[i][2..]] = args[++i];
        }
    }

    return result;
}
