using BenchmarkDotNet.Attributes;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Coap.Diagnostics;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Benchmarks;

/// <summary>
/// The CoAP codec on the heartbeat hot path: encode (CON POST /hb?d=id, 2-byte token, protobuf payload) and
/// decode of the datagram. Goal: 0 B allocated; the datagram size is reported as a column.
/// </summary>
[MemoryDiagnoser]
public class CoapCodecBenchmarks
{
    private const string DeviceId = "unit-000000000042";
    private readonly byte[] buffer = new byte[256];
    private readonly byte[] token = [0xBE, 0xEF];
    private byte[] payload = [];
    private byte[] datagram = [];

    [GlobalSetup]
    public void Setup()
    {
        var heartbeat = CoapWireBudget.TypicalHeartbeat();
        using var stream = new MemoryStream();
        LinkContracts.Instance.Serialize(stream, heartbeat);
        payload = stream.ToArray();
        CoapWireBudget.TryWriteHeartbeat(buffer, 1, token, DeviceId, payload, out int written);
        datagram = buffer[..written];
        Console.WriteLine($"// heartbeat: payload {payload.Length} B, CoAP datagram {written} B plain, {CoapWireBudget.HeartbeatDatagramSize(null, payload.Length)} B without the d= query (DTLS)");
    }

    [Benchmark]
    public int EncodeHeartbeat()
    {
        CoapWireBudget.TryWriteHeartbeat(buffer, 1, token, DeviceId, payload, out int written);
        return written;
    }

    [Benchmark]
    public int DecodeHeartbeat()
    {
        CoapWireBudget.TryReadHeartbeat(datagram, out var id, out var body);
        return id.Length + body.Length;
    }

    [Benchmark]
    public int DecodeGeneric()
    {
        CoapMessageReader.TryRead(datagram, out var message);
        int count = 0;
        foreach (var option in message.Options)
        {
            count += option.Number;
        }

        return count + message.Payload.Length;
    }

    [Benchmark]
    public int EncodeDecodeHeartbeat() => EncodeHeartbeat() + DecodeHeartbeat();
}
