using System.Buffers;
using EdgeNode.BudgetGuard.Measurement;
using EdgeNode.Link.Contracts;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// The protobuf heartbeat payload alone. Parameter <c>figure</c>: <c>bytes</c> (encoded size), <c>encode-alloc</c>
/// (bytes allocated per encode into a reused buffer, with the agent's encoder <see cref="LinkCodecs"/>) or
/// <c>decode-alloc</c> (bytes allocated per decode into a reused message with <see cref="LinkCodecs"/>, the codec the
/// hub decodes device payloads with; the notes add a fresh message per decode, as the hub does because it keeps the
/// last heartbeat, and protobuf-net's generated model for comparison) or <c>decode-fresh-alloc</c> (a fresh message per
/// decode, the hub's request path).
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
            "decode-alloc" => DecodeAlloc(context, encoded, decoded, iterations),
            "decode-fresh-alloc" => ProbeResult.Measured(
                context.FromBytes(FreshDecodeAlloc(encoded, iterations)),
                $"{encoded.Length} B payload, {iterations:N0} iterations, a new Heartbeat per decode"),
            _ => ProbeResult.NotMeasured($"parameter figure='{figure}' is not bytes, encode-alloc, decode-alloc or decode-fresh-alloc"),
        });
    }

    private static ProbeResult DecodeAlloc(ProbeContext context, byte[] encoded, Heartbeat decoded, int iterations)
    {
        LinkCodecs.Heartbeat.Merge(encoded, decoded);
        if (!LinkCodecs.Heartbeat.Encode(decoded).AsSpan().SequenceEqual(encoded))
            return ProbeResult.NotMeasured("the heartbeat decoded into a reused message does not encode back to the same bytes");
        double reused = AllocationMeter.BytesPerOperation(
            () =>
            {
                decoded.AppStates.Clear();
                decoded.Degraded.Clear();
                LinkCodecs.Heartbeat.Merge(encoded, decoded);
            },
            iterations: iterations);
        double fresh = FreshDecodeAlloc(encoded, iterations);
        double protobufNet = AllocationMeter.BytesPerOperation(
            () =>
            {
                decoded.AppStates.Clear();
                decoded.Degraded.Clear();
                LinkContracts.Instance.Deserialize<Heartbeat>((ReadOnlySpan<byte>)encoded, decoded);
            },
            iterations: iterations);
        return ProbeResult.Measured(context.FromBytes(reused),
            $"{encoded.Length} B payload, {iterations:N0} iterations",
            $"a fresh message per decode (the hub's request path, which keeps it as the last heartbeat) {fresh:0} B",
            $"protobuf-net's generated model into the reused message {protobufNet:0} B");
    }

    /// <summary>Bytes allocated per decode into a new message: the hub's request path.</summary>
    private static double FreshDecodeAlloc(byte[] encoded, int iterations) =>
        AllocationMeter.BytesPerOperation(() => LinkCodecs.Heartbeat.Decode(encoded), iterations: iterations);
}
