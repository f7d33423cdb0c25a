using EdgeNode.BudgetGuard.Measurement;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Dtls;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// Bytes on the wire for one heartbeat request as our client sends it to our server (POST /hb, the
/// representative heartbeat; plain CoAP adds the query <c>d=ID</c>, DTLS-PSK names the device by identity),
/// captured by a loopback relay: the CoAP datagram (plain) or the application-data record (DTLS). The same
/// request from libcoap's coap-client is captured in the same run and given as a ratio.
/// Parameter <c>transport</c>: plain or dtls; <c>figure</c>: bytes (ours, default) or ratio (ours / libcoap).
/// </summary>
public sealed class HeartbeatWireProbe : IProbe
{
    public string Name => "heartbeat-wire";

    public async Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        bool dtls = context.Parameter("transport") == "dtls";
        byte[] payload = WireCapture.Payload();
        await using var server = await OwnStack.StartServerAsync(dtls, s => s.Map(CoapMethod.Post, "hb", (_, _) => ValueTask.FromResult(CoapResponse.Changed(new byte[] { 0x08, 0x2A }))), cancellationToken);
        await using var relay = new UdpRelay(server.LocalEndPoint);
        var (client, dtlsTransport) = await OwnStack.ConnectAsync(dtls, relay.EndPoint, cancellationToken);
        await using var disposeClient = client;

        var options = new CoapRequestOptions { Query = dtls ? [] : ["d=" + WireCapture.PskIdentity] };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        var response = await client.SendAsync(CoapMethod.Post, "hb", payload, options, deadline.Token);
        if (response.Code != CoapCode.Changed)
        {
            return ProbeResult.NotMeasured($"our server answered {response.Code} to POST /hb");
        }

        var toServer = relay.Captured.Where(d => d.Direction == RelayDirection.ToServer).ToList();
        var request = dtls
            ? toServer.FirstOrDefault(d => DtlsRecords.IsSingleApplicationRecord(d.Bytes))
            : toServer.FirstOrDefault(d => d.Length > 4 && d.Bytes[1] == 0x02);
        if (request is null)
        {
            return ProbeResult.NotMeasured($"the relay saw no {(dtls ? "application-data record" : "POST datagram")} from our client ({toServer.Count} datagrams)");
        }

        var notes = new List<string> { $"payload {payload.Length} B" };
        if (dtlsTransport is not null)
        {
            int overhead = DtlsWireSize.RecordOverhead(dtlsTransport.CipherSuite);
            notes.Add($"{dtlsTransport.CipherSuite}: CoAP {request.Length - overhead} B + record overhead {overhead} B");
        }

        var (peer, reason) = await WireCapture.LibcoapRequestAsync(dtls, cancellationToken);
        if (context.Parameter("figure") == "ratio")
        {
            return peer is { } libcoap
                ? ProbeResult.Measured(request.Length / (double)libcoap, $"ours {request.Length} B, libcoap coap-client-openssl {libcoap} B")
                : ProbeResult.NotMeasured($"libcoap: {reason}");
        }

        notes.Add(peer is { } p
            ? $"libcoap coap-client: {p} B, ours/libcoap = {request.Length / (double)p:0.00}×"
            : $"libcoap not measured: {reason}");
        return ProbeResult.Measured(context.FromBytes(request.Length), [.. notes]);
    }
}
