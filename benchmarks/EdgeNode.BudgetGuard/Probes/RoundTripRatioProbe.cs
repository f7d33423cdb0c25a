using System.Diagnostics;
using System.Net;
using EdgeNode.BudgetGuard.Measurement;
using EdgeNode.Link.Coap;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// Side by side against libcoap: our CoapClient sends <c>requests</c> sequential CON GETs of the same resource to
/// our CoapServer and to <c>coap-server-openssl</c> (the same response body: libcoap's own "/" text, fetched
/// first and served by ours), alternating in blocks so both see the same machine load. The figure is the ratio
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
            await using var ours = await OwnStack.StartServerAsync(dtls, s => s.Map(CoapMethod.Get, "", (_, _) => ValueTask.FromResult(CoapResponse.Content(text, 0))), cancellationToken);
            var (ownClient, _) = await OwnStack.ConnectAsync(dtls, ours.LocalEndPoint, cancellationToken);
            await using var disposeOwn = ownClient;

            // Warm-up (JIT, sessions), then alternate blocks.
            await TimeAsync(ownClient, 50, cancellationToken);
            await TimeAsync(peerClient, 50, cancellationToken);
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
