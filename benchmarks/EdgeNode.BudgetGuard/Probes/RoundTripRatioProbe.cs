using System.Diagnostics;
using System.Net;
using EdgeNode.BudgetGuard.Measurement;
using EdgeNode.Link.Coap;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// Side by side against libcoap: our CoapClient sends <c>requests</c> sequential CON GETs of the same resource to
/// our CoapServer and to <c>coap-server-openssl</c> (the same response body: libcoap's own "/" text, fetched
/// first and served by ours, which runs in its own process like libcoap's), alternating in blocks so both see the same machine load. The figure is the ratio
/// of median round trips, ours / libcoap (below 1 = our server answers faster). Parameter <c>transport</c>:
/// plain or dtls (one session per server, handshake not counted). Reported, never asserted: it is a latency.
/// </summary>
public sealed class RoundTripRatioProbe : IProbe
{
    private const int Blocks = 4;

    public string Name => "coap-roundtrip-ratio";

    public async Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        bool dtls = context.Parameter("transport") == "dtls";
        int requests = context.IntParameter("requests", 400);
        var (libcoap, reason) = await LibcoapServer.StartAsync(WireCapture.PskHint, WireCapture.Psk, cancellationToken);
        if (libcoap is null)
        {
            return ProbeResult.NotMeasured(reason!);
        }

        await using (libcoap)
        {
            var (peerClient, _) = await OwnStack.ConnectAsync(dtls, dtls ? libcoap.SecureEndPoint : libcoap.PlainEndPoint, cancellationToken);
            await using var disposePeer = peerClient;
            var body = await peerClient.SendAsync(CoapMethod.Get, "", ReadOnlyMemory<byte>.Empty, null, cancellationToken);
            if (body.Code != CoapCode.Content || body.Payload.IsEmpty)
            {
                return ProbeResult.NotMeasured($"coap-server-openssl answered {body.Code} to GET /");
            }

            byte[] text = body.Payload.ToArray();
            string bodyFile = Path.Combine(Path.GetTempPath(), $"edgenode-rtt-body-{Environment.ProcessId}.bin");
            await File.WriteAllBytesAsync(bodyFile, text, cancellationToken);
            List<string> serveArgs = [typeof(RoundTripRatioProbe).Assembly.Location, Guard.ServeCoapCommand.Name, bodyFile];
            if (dtls)
            {
                serveArgs.Add("--dtls");
            }

            // Our server in its own process, as libcoap's is: neither side shares the client's threads or caches.
            await using var ours = ManagedProcess.Start("our coap server", Tools.Find("dotnet") ?? "dotnet", serveArgs);
            if (!await ours.WaitForOutputAsync("listening ", TimeSpan.FromSeconds(30), cancellationToken))
            {
                File.Delete(bodyFile);
                return ProbeResult.NotMeasured($"our serve-coap process did not start: {ours.Tail()}");
            }

            File.Delete(bodyFile);
            int port = int.Parse(ours.Tail(50).Split('\n').First(l => l.StartsWith("listening ", StringComparison.Ordinal))["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var (ownClient, _) = await OwnStack.ConnectAsync(dtls, new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            await using var disposeOwn = ownClient;

            // Warm-up (sessions; tiered JIT of both our processes reaches its optimized code after ~30 calls and a
            // background delay), then alternate blocks.
            for (int w = 0; w < 3; w++)
            {
                await TimeAsync(ownClient, 200, cancellationToken);
                await TimeAsync(peerClient, 200, cancellationToken);
                await Task.Delay(300, cancellationToken);
            }

            var ourTimes = new List<double>();
            var peerTimes = new List<double>();
            for (int b = 0; b < Blocks; b++)
            {
                ourTimes.AddRange(await TimeAsync(ownClient, requests / Blocks, cancellationToken));
                peerTimes.AddRange(await TimeAsync(peerClient, requests / Blocks, cancellationToken));
            }

            double ourMedian = Percentile(ourTimes, 0.5), peerMedian = Percentile(peerTimes, 0.5);
            return ProbeResult.Measured(ourMedian / peerMedian,
                $"median round trip ours {ourMedian * 1000:0} µs vs libcoap {peerMedian * 1000:0} µs",
                $"p99 ours {Percentile(ourTimes, 0.99) * 1000:0} µs vs libcoap {Percentile(peerTimes, 0.99) * 1000:0} µs",
                $"{ourTimes.Count} sequential CON GETs each, {text.Length} B body, {(dtls ? "DTLS-PSK" : "plain")}, driver: our CoapClient");
        }
    }

    private static async Task<List<double>> TimeAsync(CoapClient client, int count, CancellationToken cancellationToken)
    {
        var times = new List<double>(count);
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var response = await client.SendAsync(CoapMethod.Get, "", ReadOnlyMemory<byte>.Empty, null, cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (response.Code != CoapCode.Content)
            {
                throw new InvalidOperationException($"GET / answered {response.Code} from {client.Server}");
            }
        }

        return times;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
