using System.Buffers;
using EdgeNode.BudgetGuard.Measurement;
using EdgeNode.Link.Contracts;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// The protobuf heartbeat payload alone. Parameter <c>figure</c>: <c>bytes</c> (encoded size), <c>encode-alloc</c>
/// (bytes allocated per encode into a reused buffer, with the agent's encoder <see cref="LinkCodecs"/>) or
/// <c>decode-alloc</c> (bytes allocated per decode into a reused message with the hub's source-generated
/// <see cref="LinkContracts"/> model, as a hub that keeps one message per worker would).
/// </summary>
public sealed class HeartbeatPayloadProbe : IProbe
{
    public string Name => "heartbeat-payload";

    public Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var heartbeat = RepresentativeHeartbeat.Create();
        var writer = new ArrayBufferWriter<byte>(256);
        LinkContracts.Instance.Serialize(writer, heartbeat);
        byte[] encoded = writer.WrittenSpan.ToArray();
        if (!LinkCodecs.Heartbeat.Encode(heartbeat).AsSpan().SequenceEqual(encoded))
            return Task.FromResult(ProbeResult.NotMeasured("the agent's LinkCodecs and the hub's protobuf-net model encode the heartbeat differently"));
        var buffer = new byte[256];
        int iterations = context.IntParameter("iterations", 10_000);
        var decoded = new Heartbeat();

        string figure = context.Parameter("figure") ?? "bytes";
        return Task.FromResult(figure switch
        {
            "bytes" => ProbeResult.Measured(context.FromBytes(encoded.Length), $"{heartbeat.AppStates.Count} app states"),
            "encode-alloc" => ProbeResult.Measured(
                context.FromBytes(AllocationMeter.BytesPerOperation(
                    () =>
                    {
                        if (!LinkCodecs.Heartbeat.TryEncode(heartbeat, buffer, out _))
                            throw new InvalidOperationException("the heartbeat did not fit 256 bytes");
                    },
                    iterations: iterations)),
                $"{encoded.Length} B payload, {iterations:N0} iterations"),
            "decode-alloc" => ProbeResult.Measured(
                context.FromBytes(AllocationMeter.BytesPerOperation(
                    () =>
                    {
                        decoded.AppStates.Clear();
                        decoded.Degraded.Clear();
                        LinkContracts.Instance.Deserialize<Heartbeat>((ReadOnlySpan<byte>)encoded, decoded);
                    },
                    iterations: iterations)),
                $"{encoded.Length} B payload, {iterations:N0} iterations"),
            _ => ProbeResult.NotMeasured($"parameter figure='{figure}' is not bytes, encode-alloc or decode-alloc"),
        });
    }
}
