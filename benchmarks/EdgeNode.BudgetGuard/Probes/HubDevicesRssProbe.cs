using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using EdgeNode.BudgetGuard.Measurement;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Contracts;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// Hub resident memory per 10,000 simulated devices: the hub (JIT build, plain CoAP for the simulated devices) with
/// a spec of <c>devices</c> slots; <c>workers</c> concurrent simulated agents each create a slot enrollment token
/// (HTTP API), enroll, register and heartbeat over CoAP. The figure is the growth of the hub's VmRSS from the idle
/// hub holding the first <c>warmup</c> devices (code paths warm, caches and pools filled) to the hub holding every device
/// online (after its heartbeat flush), per device, times 10,000. Fewer devices than asked when <c>maxSeconds</c> runs out
/// (the notes say how many). Marginal memory per device is what a fleet of 100,000 costs; the idle hub is in the notes.
/// </summary>
public sealed class HubDevicesRssProbe : IProbe
{
    private const string Fleet = "bench-fleet";

    public string Name => "hub-devices-rss";

    public async Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        string hubAssembly = context.PathParameter("hub", "hub/bin/Release/net10.0/edgenode-hub.dll");
        int devices = context.IntParameter("devices", 10_000);
        int workers = context.IntParameter("workers", 16);
        int maxSeconds = context.IntParameter("maxSeconds", 90);
        int warmup = context.IntParameter("warmup", 500);
        if (!File.Exists(hubAssembly))
        {
            return ProbeResult.NotMeasured($"{Path.GetRelativePath(context.RepoRoot, hubAssembly)} does not exist (dotnet build hub -c Release)");
        }

        string work = context.PathParameter("directory", "artifacts/bench/hub-rss");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        string spec = Path.Combine(work, "spec");
        Directory.CreateDirectory(Path.Combine(spec, "base"));
        Directory.CreateDirectory(Path.Combine(spec, "sites"));
        await File.WriteAllTextAsync(Path.Combine(spec, "base", "apps.yaml"), "apps:\n  web:\n    image: edgenode/busybox:test\n    command: [\"httpd\", \"-f\"]\n", cancellationToken);
        var slots = new StringBuilder("slots:\n");
        for (int i = 0; i < devices; i++)
        {
            slots.Append(CultureInfo.InvariantCulture, $"  l1/c{i}:\n");
        }

        await File.WriteAllTextAsync(Path.Combine(spec, "sites", "bench.yaml"), slots.ToString(), cancellationToken);
        byte[] fleetKey = RandomNumberGenerator.GetBytes(16);

        // The hub's SQLite store goes to tmpfs when there is one: this figure is memory, and onboarding 10,000
        // devices through fsync-per-write on a shared disk would take minutes (tmpfs pages are not in the hub's RSS).
        string dataDirectory = Directory.Exists("/dev/shm") && context.Parameter("dataOnDisk") != "true"
            ? Path.Combine("/dev/shm", $"edgenode-hub-rss-{Environment.ProcessId}")
            : Path.Combine(work, "hub-data");
        try
        {
            var (hub, reason) = await HubProcess.StartAsync(hubAssembly, dataDirectory, spec, Fleet, fleetKey, plainCoap: true,
                ["--flush-interval", "2", "--heartbeat-interval", "60"], cancellationToken);
            if (hub is null)
            {
                return ProbeResult.NotMeasured(reason!);
            }

            await using (hub)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                var idle = hub.Process.Memory();
                int next = -1, done = 0;
                string? failure = null;
                ProcStatus? warm = null;
                var warmGate = new SemaphoreSlim(1, 1);
                var clock = Stopwatch.StartNew();
                var hubEndPoint = new IPEndPoint(IPAddress.Loopback, hub.CoapPort);
                async Task Worker()
                {
                    var (client, _) = await OwnStack.ConnectAsync(false, hubEndPoint, cancellationToken);
                    await using var dispose = client;
                    while (clock.Elapsed < TimeSpan.FromSeconds(maxSeconds) && failure is null)
                    {
                        int i = Interlocked.Increment(ref next);
                        if (i >= devices)
                        {
                            return;
                        }

                        try
                        {
                            await OnboardAsync(hub, client, i, cancellationToken);
                            if (Interlocked.Increment(ref done) == warmup)
                            {
                                await warmGate.WaitAsync(cancellationToken);
                                warm = hub.Process.Memory();
                                warmGate.Release();
                            }
                        }
                        catch (Exception e) when (e is InvalidOperationException or CoapException or HttpRequestException or TaskCanceledException)
                        {
                            failure ??= $"device {i}: {e.Message}";
                        }
                    }
                }

                await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(Worker, cancellationToken)));
                double seconds = clock.Elapsed.TotalSeconds;
                if (failure is not null)
                {
                    return ProbeResult.NotMeasured($"simulated device failed after {done} devices: {failure}");
                }

                if (warm is null || done < 2 * warmup)
                {
                    return ProbeResult.NotMeasured($"only {done} devices were onboarded within {maxSeconds} s; the slope needs at least {2 * warmup}");
                }

                await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken); // one heartbeat flush to SQLite
                var loaded = hub.Process.Memory();
                double perTenThousand = (loaded.VmRss - warm.VmRss) * 10_000d / (done - warmup);
                return ProbeResult.Measured(context.FromBytes(perTenThousand),
                    $"{done:N0} devices enrolled, registered and heartbeating in {seconds:0} s ({done / seconds:0} devices/s); slope from device {warmup:N0} to {done:N0}",
                    $"hub VmRSS idle {idle.VmRss / 1e6:0.0} MB, {warm.VmRss / 1e6:0.0} MB at {warmup:N0} devices, {loaded.VmRss / 1e6:0.0} MB at {done:N0} (RssAnon {loaded.RssAnon / 1e6:0.0} MB)",
                    $"100,000 devices ≈ {(warm.VmRss + perTenThousand * 10) / 1e6:0} MB");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
                if (Directory.Exists(dataDirectory))
                {
                    Directory.Delete(dataDirectory, recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task OnboardAsync(HubProcess hub, CoapClient client, int i, CancellationToken cancellationToken)
    {
        string token = await hub.CreateEnrollmentTokenAsync($"bench/l1/c{i}", 1, cancellationToken);
        var enroll = await CallAsync<EnrollRequest, EnrollResponse>(client, "enroll", Fleet,
            new EnrollRequest { HardwareId = $"hw-{i:D6}", Model = "bench-sim", EnrollmentToken = token, AgentVersion = "bench" }, cancellationToken);
        if (enroll.Status != EnrollStatus.Approved || enroll.DeviceId.Length == 0)
        {
            throw new InvalidOperationException($"enrollment {enroll.Status}: {enroll.Reason}");
        }

        await CallAsync<RegisterRequest, RegisterResponse>(client, "reg", enroll.DeviceId,
            new RegisterRequest { BootReason = BootReason.FirstBoot, AgentVersion = "bench", HardwareId = $"hw-{i:D6}", Model = "bench-sim", BootCount = 1 }, cancellationToken);
        var heartbeat = RepresentativeHeartbeat.Create();
        heartbeat.AppStates = [AppStateCode.Pack(AppPhase.Running, 0)];
        heartbeat.AppliedGeneration = 0;
        await CallAsync<Heartbeat, HeartbeatAck>(client, "hb", enroll.DeviceId, heartbeat, cancellationToken);
    }

    private static async Task<TResponse> CallAsync<TRequest, TResponse>(CoapClient client, string path, string identity, TRequest request, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        LinkContracts.Instance.Serialize(stream, request);
        var response = await client.SendAsync(CoapMethod.Post, path, stream.ToArray(), new CoapRequestOptions { Query = ["d=" + identity] }, cancellationToken);
        if (!response.IsSuccess)
        {
            string reason = response.Payload.IsEmpty ? "" : SafeReason(response.Payload);
            throw new InvalidOperationException($"POST /{path} answered {response.Code} {reason}");
        }

        return LinkContracts.Instance.Deserialize<TResponse>(response.Payload);
    }

    private static string SafeReason(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return LinkContracts.Instance.Deserialize<ErrorBody>(payload).Reason;
        }
        catch (Exception e) when (e is ProtoBuf.ProtoException or EndOfStreamException or InvalidOperationException)
        {
            return $"({payload.Length} B body)";
        }
    }
}
