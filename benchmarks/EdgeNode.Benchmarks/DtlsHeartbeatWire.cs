using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Coap.Diagnostics;
using EdgeNode.Link.Contracts;
using EdgeNode.Link.Dtls;

namespace EdgeNode.Benchmarks;

/// <summary>
/// A typical heartbeat (4 apps) as it travels: protobuf body, CoAP CON POST /hb (2-byte token, no
/// Content-Format), one DTLS CCM_8 record, one IPv4 packet. For the budget guard: <see cref="Compute"/>.
/// </summary>
public static class DtlsHeartbeatWire
{
    public static Heartbeat Sample() => CoapWireBudget.TypicalHeartbeat();

    /// <summary>(protobuf, CoAP message, DTLS datagram, IPv4 packet) sizes in bytes of <paramref name="heartbeat"/>.</summary>
    public static (int Protobuf, int Coap, int Dtls, int IPv4) Compute(Heartbeat heartbeat, DtlsCipherSuite suite = DtlsCipherSuite.PskWithAes128Ccm8)
    {
        using var stream = new MemoryStream();
        LinkContracts.Instance.Serialize(stream, heartbeat);
        var body = stream.ToArray();
        var message = new CoapMessage
        {
            Type = CoapMessageType.Confirmable,
            Code = new CoapCode(0, 2), // POST
            MessageId = 0x1234,
            Token = [0xAB, 0xCD],
            Payload = body,
        };
        message.AddOption(CoapOptionNumber.UriPath, "hb");
        var coap = message.Encode().Length;
        return (body.Length, coap, DtlsWireSize.DatagramBytes(coap, suite), DtlsWireSize.IPv4PacketBytes(coap, suite));
    }

    public static string Describe()
    {
        var (protobuf, coap, dtls, ipv4) = Compute(Sample());
        return $"heartbeat: protobuf {protobuf} B, CoAP {coap} B, DTLS CCM_8 {dtls} B (+{DtlsWireSize.RecordOverhead(DtlsCipherSuite.PskWithAes128Ccm8)}), IPv4 packet {ipv4} B";
    }

    /// <summary>Adds the column.</summary>
    public sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new Column());
    }

    private sealed class Column : IColumn
    {
        public string Id => nameof(DtlsHeartbeatWire);

        public string ColumnName => "Heartbeat on wire";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => false;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "CoAP heartbeat → DTLS CCM_8 datagram → IPv4 packet, bytes";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var (_, coap, dtls, ipv4) = Compute(Sample());
            return $"{coap} → {dtls} → {ipv4} B";
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
