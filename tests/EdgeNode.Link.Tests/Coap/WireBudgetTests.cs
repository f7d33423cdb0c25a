using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Coap.Diagnostics;
using EdgeNode.Link.Contracts;
using EdgeNode.Link.Tests.Contracts;
using Xunit.Abstractions;

namespace EdgeNode.Link.Tests.Coap;

/// <summary>Heartbeat datagram size and codec allocations (deterministic figures, not timings).</summary>
public sealed class WireBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public void HeartbeatDatagram_TypicalPlain_FitsIn64Bytes()
    {
        byte[] payload = ContractRoundTripTests.Serialize(typeof(Heartbeat), CoapWireBudget.TypicalHeartbeat());
        const string DeviceId = "unit-000000000042";
        var buffer = new byte[128];

        Assert.True(CoapWireBudget.TryWriteHeartbeat(buffer, 1, [0xBE, 0xEF], DeviceId, payload, out int written));
        int computed = CoapWireBudget.HeartbeatDatagramSize(DeviceId, payload.Length);
        int overDtls = CoapWireBudget.HeartbeatDatagramSize(null, payload.Length);
        output.WriteLine($"heartbeat payload {payload.Length} B; CoAP datagram plain {written} B (device id {DeviceId.Length} chars), over DTLS (no query) {overDtls} B");

        Assert.Equal(computed, written);
        Assert.True(written <= 64, $"plain heartbeat datagram is {written} B");
        Assert.True(CoapWireBudget.TryReadHeartbeat(buffer.AsSpan(0, written), out var id, out var body));
        Assert.Equal(DeviceId, System.Text.Encoding.UTF8.GetString(id));
        Assert.Equal(payload, body.ToArray());
        Assert.True(CoapMessageReader.TryRead(buffer.AsSpan(0, written), out _));
    }

    [Fact]
    public void HeartbeatCodec_EncodeAndDecode_AllocatesNothing()
    {
        byte[] payload = ContractRoundTripTests.Serialize(typeof(Heartbeat), CoapWireBudget.TypicalHeartbeat());

        double perRoundTrip = CoapWireBudget.MeasureHeartbeatCodecAllocations("unit-000000000042", payload, 10_000);

        output.WriteLine($"allocated per heartbeat encode+decode: {perRoundTrip} B");
        Assert.Equal(0, perRoundTrip);
    }

    [Fact]
    public void MeasureAllocatedBytes_AllocatingAction_IsMeasured()
    {
        double bytes = CoapWireBudget.MeasureAllocatedBytes(() => GC.KeepAlive(new byte[100]), 100);

        Assert.InRange(bytes, 100, 200);
    }
}
