using System.Buffers;
using EdgeNode.BudgetGuard.Measurement;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Contracts;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// The heartbeat datagram through the span codec (<see cref="CoapMessageWriter"/>/<see cref="CoapMessageReader"/>):
/// <c>figure=encode-alloc</c> writes CON POST /hb?d=ID with the protobuf heartbeat encoded into a reused buffer;
/// <c>figure=decode-alloc</c> reads the datagram, walks its options and reads the payload span (the protobuf
/// decode is measured by heartbeat-payload). Bytes allocated per operation, after warm-up.
/// </summary>
public sealed class HeartbeatDatagramProbe : IProbe
{
    private static readonly byte[] Token = [0x5A, 0x17];

    public string Name => "heartbeat-datagram";

    public Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var heartbeat = RepresentativeHeartbeat.Create();
        var payload = new byte[256];
        var datagram = new byte[1152];
        string query = "d=" + RepresentativeHeartbeat.DeviceId;
        ushort messageId = 0;

        int Encode()
        {
            // The agent's encoder (LinkCodecs, what agent/Link/Wire.cs sends).
            if (!LinkCodecs.Heartbeat.TryEncode(heartbeat, payload, out int payloadLength))
                throw new InvalidOperationException("the heartbeat did not fit 256 bytes");
            var writer = new CoapMessageWriter(datagram);
            bool ok = writer.TryWriteHeader(CoapMessageType.Confirmable, CoapCode.FromMethod(CoapMethod.Post), messageId++, Token)
                && writer.TryWriteUriPath("hb")
                && writer.TryWriteOption(CoapOptionNumber.UriQuery, query.AsSpan())
                && writer.TryWritePayload(payload.AsSpan(0, payloadLength));
            return ok ? writer.BytesWritten : throw new InvalidOperationException("the heartbeat datagram did not fit 1152 bytes");
        }

        int length = Encode();
        int checksum = 0;
        void Decode()
        {
            if (!CoapMessageReader.TryRead(datagram.AsSpan(0, length), out var view))
            {
                throw new InvalidOperationException("the heartbeat datagram did not decode");
            }

            foreach (var option in view.Options)
            {
                checksum += option.Number + option.Value.Length;
            }

            checksum += view.Payload.Length + view.MessageId;
        }

        int iterations = context.IntParameter("iterations", 10_000);
        string figure = context.Parameter("figure") ?? "encode-alloc";
        return Task.FromResult(figure switch
        {
            "encode-alloc" => ProbeResult.Measured(context.FromBytes(AllocationMeter.BytesPerOperation(() => Encode(), iterations: iterations)),
                $"{length} B datagram (CoAP + protobuf), {iterations:N0} iterations"),
            "decode-alloc" => ProbeResult.Measured(context.FromBytes(AllocationMeter.BytesPerOperation(Decode, iterations: iterations)),
                $"{length} B datagram, options and payload read, {iterations:N0} iterations"),
            "bytes" => ProbeResult.Measured(context.FromBytes(length), $"token {Token.Length} B, Uri-Path hb, Uri-Query {query}"),
            _ => ProbeResult.NotMeasured($"parameter figure='{figure}' is not encode-alloc, decode-alloc or bytes"),
        });
    }
}
