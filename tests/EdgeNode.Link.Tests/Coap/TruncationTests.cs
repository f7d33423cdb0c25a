using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Tests.Support;

namespace EdgeNode.Link.Tests.Coap;

/// <summary>
/// Every valid message cut at every byte: the prefix is either incomplete (TryRead false; the endpoint answers a
/// CON with RST once it has the message id), a shorter valid message (cut at an option boundary), or a lone
/// payload marker (format error). Nothing in between, and never an exception.
/// </summary>
public sealed class TruncationTests
{
    public enum Kind
    {
        Incomplete,
        Valid,
        LoneMarker,
    }

    public static TheoryData<string> Messages => new() { "heartbeat", "blockResponse", "longQuery", "emptyAck", "noTokenNoPayload" };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Reader_EveryPrefix_IsIncompleteOrValidAtBoundariesOnly(string name)
    {
        var (datagram, boundaries, markerAt) = Build(name);
        Assert.True(CoapMessageReader.TryRead(datagram, out _));

        for (int length = 0; length < datagram.Length; length++)
        {
            var expected = Classify(length, boundaries, markerAt);
            var prefix = datagram.AsSpan(0, length);
            CoapFormatError error = CoapFormatError.None;
            bool read = false;
            try
            {
                read = CoapMessageReader.TryRead(prefix, out _);
            }
            catch (CoapFormatException ex)
            {
                error = ex.Reason;
            }

            var actual = error == CoapFormatError.PayloadMarkerWithoutPayload ? Kind.LoneMarker
                : error != CoapFormatError.None ? (Kind)(-1)
                : read ? Kind.Valid : Kind.Incomplete;
            Assert.True(expected == actual, $"{name} cut at {length}/{datagram.Length}: expected {expected}, got {actual} ({error})");
        }
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task Endpoint_EveryPrefixAndSuffix_NeverThrowsAndResetsIncompleteCon(string name)
    {
        var (datagram, boundaries, markerAt) = Build(name);
        for (int cut = 0; cut <= datagram.Length; cut++)
        {
            await using var harness = new ServerHarness();
            var expected = cut == datagram.Length ? Kind.Valid : Classify(cut, boundaries, markerAt);
            bool confirmable = datagram[0] >> 4 == 4;

            var answer = harness.Process(datagram[..cut]);

            if (expected != Kind.Valid && confirmable && cut >= 4)
            {
                Assert.True(answer is not null && answer.Length == 4 && answer[0] == 0x70, $"{name} cut at {cut}: expected RST");
                Assert.Equal(0, harness.Delivered);
            }
            else if (expected != Kind.Valid)
            {
                Assert.Null(answer);
                Assert.Equal(0, harness.Delivered);
            }

            // The rest as a datagram of its own must not crash the endpoint either, and the original request
            // (with its full payload) is never what a handler gets from the two halves.
            harness.Process(datagram[cut..]);
            foreach (var request in harness.Requests)
            {
                if (cut > 0 && cut < datagram.Length)
                {
                    Assert.NotEqual(HeartbeatPayload, request.Payload.ToArray());
                }
            }
        }
    }

    private static readonly byte[] HeartbeatPayload = [0x08, 0x2A, 0x10, 0xE8, 0x07, 0x18, 0x02, 0x4A, 0x02, 0x12, 0x22];

    private static Kind Classify(int length, HashSet<int> boundaries, int markerAt) =>
        boundaries.Contains(length) ? Kind.Valid
        : markerAt >= 0 && length == markerAt + 1 ? Kind.LoneMarker
        : markerAt >= 0 && length > markerAt + 1 ? Kind.Valid
        : Kind.Incomplete;

    /// <summary>The datagram, the prefix lengths that are complete messages, and where the payload marker is (-1: none).</summary>
    private static (byte[] Datagram, HashSet<int> Boundaries, int MarkerAt) Build(string name)
    {
        var buffer = new byte[2048];
        var writer = new CoapMessageWriter(buffer);
        var boundaries = new HashSet<int>();
        byte[] payload = [];
        switch (name)
        {
            case "heartbeat":
                writer.TryWriteHeader(CoapMessageType.Confirmable, CoapCode.FromMethod(CoapMethod.Post), 0x1234, [0xBE, 0xEF]);
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.UriPath, "hb");
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.UriQuery, "d=unit-0000000042");
                boundaries.Add(writer.BytesWritten);
                payload = HeartbeatPayload;
                break;
            case "blockResponse":
                writer.TryWriteHeader(CoapMessageType.Acknowledgement, CoapCode.Content, 7, [1, 2, 3, 4, 5, 6, 7, 8]);
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.ETag, [0, 0, 0, 0, 0, 0, 0, 42]);
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.ContentFormat, 0u);
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.Block2, new CoapBlockOption(3, true, 6).Encode());
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.Size2, 10240u);
                boundaries.Add(writer.BytesWritten);
                payload = new byte[40];
                break;
            case "longQuery":
                writer.TryWriteHeader(CoapMessageType.Confirmable, CoapCode.FromMethod(CoapMethod.Get), 9, [5]);
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.UriPath, "ds");
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.UriQuery, new string('q', 300));
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.Size1, 0u);
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(2000, [1, 2, 3]);
                boundaries.Add(writer.BytesWritten);
                break;
            case "emptyAck":
                writer.TryWriteHeader(CoapMessageType.Acknowledgement, CoapCode.Empty, 99, default);
                boundaries.Add(writer.BytesWritten);
                break;
            default:
                writer.TryWriteHeader(CoapMessageType.Confirmable, CoapCode.FromMethod(CoapMethod.Get), 3, default);
                boundaries.Add(writer.BytesWritten);
                writer.TryWriteOption(CoapOptionNumber.UriPath, "hb");
                boundaries.Add(writer.BytesWritten);
                break;
        }

        int markerAt = -1;
        if (payload.Length > 0)
        {
            markerAt = writer.BytesWritten;
            writer.TryWritePayload(payload);
        }

        return (buffer[..writer.BytesWritten], boundaries, markerAt);
    }
}
