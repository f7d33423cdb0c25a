using System.Buffers;
using EdgeNode.Link.Contracts;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>The protobuf heartbeat payload alone: its size (<c>figure=bytes</c>) or the bytes allocated per
/// encode + decode with reused buffers and a reused message (<c>figure=alloc</c>), through the
/// source-generated <see cref="LinkContracts"/> model.</summary>
public sealed class HeartbeatPayloadProbe : IProbe
{
    public string Name => "heartbeat-payload";

    public Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var heartbeat = RepresentativeHeartbeat.Create();
        var writer = new ArrayBufferWriter<byte>(256);
        LinkContracts.Instance.Serialize(writer, heartbeat);
        int size = writer.WrittenCount;

        string figure = context.Parameter("figure") ?? "bytes";
        if (figure == "bytes")
        {
            return Task.FromResult(ProbeResult.Measured(context.FromBytes(size), $"{size} B protobuf"));
        }

        var decoded = new Heartbeat();
        void EncodeDecode()
        {
            writer.ResetWrittenCount();
            LinkContracts.Instance.Serialize(writer, heartbeat);
            decoded.AppStates.Clear();
            decoded.Degraded.Clear();
            LinkContracts.Instance.Deserialize(writer.WrittenMemory, decoded);
        }

        void Encode()
        {
            writer.ResetWrittenCount();
            LinkContracts.Instance.Serialize(writer, heartbeat);
        }

        ReadOnlyMemory<byte> encoded = writer.WrittenMemory.ToArray();
        void Decode()
        {
            decoded.AppStates.Clear();
            decoded.Degraded.Clear();
            LinkContracts.Instance.Deserialize(encoded.Span, decoded);
        }

        int iterations = context.IntParameter("iterations", 10_000);
        double perOp = Measurement.AllocationMeter.BytesPerOperation(EncodeDecode, iterations: iterations);
        double encode = Measurement.AllocationMeter.BytesPerOperation(Encode, iterations: iterations);
        double decode = Measurement.AllocationMeter.BytesPerOperation(Decode, iterations: iterations);
        return Task.FromResult(ProbeResult.Measured(context.FromBytes(perOp), $"{size} B payload", $"encode {encode:0.##} B, decode {decode:0.##} B"));
    }
}
