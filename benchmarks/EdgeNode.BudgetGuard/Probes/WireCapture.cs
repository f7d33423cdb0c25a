using EdgeNode.BudgetGuard.Measurement;
using EdgeNode.Link.Contracts;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// Bytes on the wire for the heartbeat request (POST /hb carrying <see cref="RepresentativeHeartbeat"/>), captured
/// by a <see cref="UdpRelay"/> between a client and a server: with libcoap's coap-client as the client, and (once
/// the link lands) with our own. Plain CoAP names the device in the query (<c>d=</c>), DTLS by its PSK identity.
/// </summary>
public static class WireCapture
{
    public const string PskIdentity = RepresentativeHeartbeat.DeviceId;
    public const string Psk = "budget-guard-psk-0123456789";
    public const string PskHint = "edgenode";

    public static byte[] Payload()
    {
        using var stream = new MemoryStream();
        LinkContracts.Instance.Serialize(stream, RepresentativeHeartbeat.Create());
        return stream.ToArray();
    }

    /// <summary>The size of libcoap coap-client's datagram for the heartbeat request (the first CoAP request for
    /// plain; the first application-data record for DTLS), or a reason it could not be captured.</summary>
    public static async Task<(int? Bytes, string? Reason)> LibcoapRequestAsync(bool dtls, CancellationToken cancellationToken)
    {
        if (Tools.Find(LibcoapClient.Program) is null)
        {
            return (null, $"{LibcoapClient.Program} is not installed (apt-get install libcoap3-bin)");
        }

        var (server, reason) = await LibcoapServer.StartAsync(PskHint, Psk, cancellationToken);
        if (server is null)
        {
            return (null, reason);
        }

        await using (server)
        {
            await using var relay = new UdpRelay(dtls ? server.SecureEndPoint : server.PlainEndPoint);
            string payloadFile = Path.Combine(Path.GetTempPath(), $"edgenode-hb-{Environment.ProcessId}.bin");
            await File.WriteAllBytesAsync(payloadFile, Payload(), cancellationToken);
            try
            {
                string uri = dtls
                    ? $"coaps://127.0.0.1:{relay.EndPoint.Port}/hb"
                    : $"coap://127.0.0.1:{relay.EndPoint.Port}/hb?d={PskIdentity}";
                List<string> args = ["-m", "post", "-f", payloadFile, "-B", "5"];
                if (dtls)
                {
                    args.AddRange(["-u", PskIdentity, "-k", Psk]);
                }

                args.Add(uri);
                var run = await LibcoapClient.RunAsync(args, cancellationToken);
                var toServer = relay.Captured.Where(d => d.Direction == RelayDirection.ToServer).ToList();
                var request = dtls
                    ? toServer.FirstOrDefault(d => DtlsRecords.IsSingleApplicationRecord(d.Bytes))
                    : toServer.FirstOrDefault(d => d.Length > 4 && (d.Bytes[0] >> 6) == 1 && d.Bytes[1] == 0x02);
                return request is null
                    ? (null, $"{LibcoapClient.Program} sent no {(dtls ? "DTLS application record" : "CoAP POST")} (exit {run.ExitCode}): {run.Output.Trim()}")
                    : (request.Length, null);
            }
            finally
            {
                File.Delete(payloadFile);
            }
        }
    }
}
