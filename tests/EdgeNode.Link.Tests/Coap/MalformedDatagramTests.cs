using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Tests.Support;
using static EdgeNode.Link.Tests.Support.Datagrams;

namespace EdgeNode.Link.Tests.Coap;

/// <summary>RFC 7252 §3 format errors and §4.2/§5.4.1 reactions: RST for a bad CON, 4.02 for a bad critical option, silence otherwise.</summary>
public sealed class MalformedDatagramTests
{
    public enum Reaction
    {
        Drop,
        Reset,
    }

    /// <summary>hex datagram, the reason the codec gives, the endpoint's reaction.</summary>
    public static TheoryData<string, CoapFormatError, Reaction> FormatErrors => new()
    {
        // Empty datagram: no header, nothing to answer.
        { "", CoapFormatError.Truncated, Reaction.Drop },
        // One byte of header.
        { "40", CoapFormatError.Truncated, Reaction.Drop },
        // Three bytes: the message id is incomplete, so not even a RST is possible.
        { "40 01 00", CoapFormatError.Truncated, Reaction.Drop },
        // Version 0 (CON GET): unknown versions are silently ignored (§3).
        { "00 01 00 01", CoapFormatError.UnsupportedVersion, Reaction.Drop },
        // Version 2 (CON GET).
        { "80 01 00 01", CoapFormatError.UnsupportedVersion, Reaction.Drop },
        // Version 3 (CON GET) with a token.
        { "C1 01 00 01 AA", CoapFormatError.UnsupportedVersion, Reaction.Drop },
        // TKL 9 (reserved) on a CON, 9 token bytes present.
        { "49 01 00 01 01 02 03 04 05 06 07 08 09", CoapFormatError.TokenLengthReserved, Reaction.Reset },
        // TKL 15 (reserved) on a CON, no token bytes.
        { "4F 01 00 01", CoapFormatError.TokenLengthReserved, Reaction.Reset },
        // TKL 12 on a NON: dropped.
        { "5C 01 00 01", CoapFormatError.TokenLengthReserved, Reaction.Drop },
        // Code class 1 (1.01) on a CON.
        { "40 21 00 01", CoapFormatError.ReservedCodeClass, Reaction.Reset },
        // Code class 6 (6.00) on a CON.
        { "40 C0 00 01", CoapFormatError.ReservedCodeClass, Reaction.Reset },
        // Code class 7 (7.31) on a CON.
        { "40 FF 00 01", CoapFormatError.ReservedCodeClass, Reaction.Reset },
        // Code class 7 on a NON: dropped.
        { "50 E1 00 01", CoapFormatError.ReservedCodeClass, Reaction.Drop },
        // Empty CON (0.00) with TKL 1 and a token byte.
        { "41 00 00 01 AA", CoapFormatError.EmptyMessageNotEmpty, Reaction.Reset },
        // Empty CON with TKL 2 but no token bytes.
        { "42 00 00 01", CoapFormatError.EmptyMessageNotEmpty, Reaction.Reset },
        // Empty CON with an option (Uri-Path "a").
        { "40 00 00 01 B1 61", CoapFormatError.EmptyMessageNotEmpty, Reaction.Reset },
        // Empty CON with a payload.
        { "40 00 00 01 FF 01", CoapFormatError.EmptyMessageNotEmpty, Reaction.Reset },
        // Empty ACK with a payload: ACKs are never answered.
        { "60 00 00 01 FF 01", CoapFormatError.EmptyMessageNotEmpty, Reaction.Drop },
        // CON GET: payload marker with nothing after it.
        { "40 01 00 01 FF", CoapFormatError.PayloadMarkerWithoutPayload, Reaction.Reset },
        // CON POST, token, Uri-Path "hb", then a lone payload marker.
        { "42 02 00 01 12 34 B2 68 62 FF", CoapFormatError.PayloadMarkerWithoutPayload, Reaction.Reset },
        // NON POST with a lone payload marker: dropped.
        { "50 02 00 01 FF", CoapFormatError.PayloadMarkerWithoutPayload, Reaction.Drop },
        // Option delta nibble 15 with length 1 (not the payload marker).
        { "40 01 00 01 F1 61", CoapFormatError.OptionDeltaReserved, Reaction.Reset },
        // Option delta nibble 15 with length 0.
        { "40 01 00 01 F0", CoapFormatError.OptionDeltaReserved, Reaction.Reset },
        // Option length nibble 15 (Uri-Path).
        { "40 01 00 01 BF 61", CoapFormatError.OptionLengthReserved, Reaction.Reset },
        // Option length 15 after a valid option.
        { "40 01 00 01 B1 61 0F", CoapFormatError.OptionLengthReserved, Reaction.Reset },
        // Delta nibble 13 but the 1-byte extended delta is missing.
        { "40 01 00 01 D1", CoapFormatError.Truncated, Reaction.Reset },
        // Delta nibble 14 but only 1 of the 2 extended delta bytes.
        { "40 01 00 01 E1 00", CoapFormatError.Truncated, Reaction.Reset },
        // Length nibble 13 but the extended length byte is missing.
        { "40 01 00 01 BD", CoapFormatError.Truncated, Reaction.Reset },
        // Length nibble 14 but only 1 extended length byte.
        { "40 01 00 01 BE 00", CoapFormatError.Truncated, Reaction.Reset },
        // Uri-Path announces 5 bytes, 2 present.
        { "40 01 00 01 B5 61 62", CoapFormatError.Truncated, Reaction.Reset },
        // Extended length 13+2=15 announced, 3 present.
        { "40 01 00 01 BD 02 61 62 63", CoapFormatError.Truncated, Reaction.Reset },
        // TKL 4, only 2 token bytes.
        { "44 01 00 01 AA BB", CoapFormatError.Truncated, Reaction.Reset },
        // TKL 8, no token bytes, NON: dropped.
        { "58 01 00 01", CoapFormatError.Truncated, Reaction.Drop },
        // Option number overflow: delta 65535+269 then another.
        { "40 01 00 01 E0 FF FF E0 FF FF", CoapFormatError.OptionNumberOverflow, Reaction.Reset },
        // Two deltas of 269+65000 each: 130538 > 65535.
        { "40 01 00 01 E0 FD E8 E0 FD E8", CoapFormatError.OptionNumberOverflow, Reaction.Reset },
        // RST carrying a request code: RSTs are never answered.
        { "70 01 00 01", CoapFormatError.InvalidTypeForCode, Reaction.Drop },
        // RST carrying 2.05 with a token.
        { "71 45 00 01 AA", CoapFormatError.InvalidTypeForCode, Reaction.Drop },
        // ACK carrying a request (GET).
        { "60 01 00 01", CoapFormatError.InvalidTypeForCode, Reaction.Drop },
        // NON Empty message (§4.3: must not be Empty).
        { "50 00 00 01", CoapFormatError.InvalidTypeForCode, Reaction.Drop },
    };

    [Theory]
    [MemberData(nameof(FormatErrors))]
    public void Reader_MalformedOrTruncated_ReportsReason(string hex, CoapFormatError reason, Reaction reaction)
    {
        _ = reaction;
        var datagram = Hex(hex);
        if (reason == CoapFormatError.Truncated)
        {
            Assert.False(CoapMessageReader.TryRead(datagram, out _));
            return;
        }

        CoapFormatException? thrown = null;
        try
        {
            CoapMessageReader.TryRead(datagram, out _);
        }
        catch (CoapFormatException ex)
        {
            thrown = ex;
        }

        Assert.NotNull(thrown);
        Assert.Equal(reason, thrown.Reason);
        Assert.Contains(reason.ToString(), thrown.Message);
        if (datagram.Length >= 4)
        {
            Assert.Equal((ushort)1, thrown.MessageId);
            Assert.Equal((CoapMessageType)((datagram[0] >> 4) & 3), thrown.Type);
        }
    }

    [Theory]
    [MemberData(nameof(FormatErrors))]
    public async Task Endpoint_MalformedDatagram_ReactsAsRfcAndDeliversNothing(string hex, CoapFormatError reason, Reaction reaction)
    {
        await using var harness = new ServerHarness();

        var answer = harness.Process(Hex(hex));

        if (reaction == Reaction.Reset)
        {
            Assert.Equal(Hex("70 00 00 01"), answer);
            Assert.Equal(1, harness.Server.Metrics[CoapCounter.ResetsSent]);
        }
        else
        {
            Assert.Null(answer);
        }

        Assert.Equal(0, harness.Delivered);
        Assert.Equal(1, harness.Server.Metrics.Malformed(reason));
        Assert.Equal(1, harness.Server.Metrics.MalformedTotal);
    }

    [Fact]
    public async Task Endpoint_DatagramLargerThanMaxMessageSize_IsResetAndCounted()
    {
        await using var harness = new ServerHarness(new CoapEndpointOptions { MaxMessageSize = 100 });
        var datagram = Request(CoapMessageType.Confirmable, CoapMethod.Post, 1, [1], "hb", new byte[200]);

        var answer = harness.Process(datagram);

        Assert.Equal(Hex("70 00 00 01"), answer);
        Assert.Equal(1, harness.Server.Metrics.Malformed(CoapFormatError.MessageTooLarge));
        Assert.Equal(0, harness.Delivered);
    }

    /// <summary>hex of a well-formed request whose options this server must refuse with 4.02 (or 5.05 for proxying).</summary>
    public static TheoryData<string, string> BadOptions => new()
    {
        // CON POST token 0x12: unknown critical option 9 (unassigned, odd), then Uri-Path "hb".
        { "41 02 00 01 12 90 22 68 62", "4.02" },
        // Unknown critical option 2049 (delta 2038 = 269 + 0x06E9) after Uri-Path "hb".
        { "41 02 00 01 12 B2 68 62 E0 06 E9", "4.02" },
        // Uri-Host (critical) with zero length (minimum 1).
        { "41 02 00 01 12 30 82 68 62", "4.02" },
        // If-None-Match (critical) with a 1-byte value (must be empty).
        { "41 02 00 01 12 51 00 62 68 62", "4.02" },
        // Accept (critical) with 3 bytes (maximum 2), after Uri-Path "hb".
        { "41 02 00 01 12 B2 68 62 63 00 00 01", "4.02" },
        // Accept repeated (not repeatable).
        { "41 02 00 01 12 B2 68 62 61 00 01 00", "4.02" },
        // Block1 (critical) with 4 bytes (maximum 3).
        { "41 02 00 01 12 B2 68 62 D4 03 00 00 00 01", "4.02" },
        // Uri-Port (critical) with 3 bytes (maximum 2).
        { "41 02 00 01 12 73 00 16 33 42 68 62", "4.02" },
        // Proxy-Uri: this endpoint is no proxy.
        { "41 02 00 01 12 B2 68 62 D5 0B 63 6F 61 70 3A", "5.05" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Endpoint_BadCriticalOption_AnswersPiggybackedErrorAndDeliversNothing(string hex, string code)
    {
        await using var harness = new ServerHarness();

        var answer = harness.Process(Hex(hex));

        Assert.NotNull(answer);
        var response = Decode(answer);
        Assert.Equal(CoapMessageType.Acknowledgement, response.Type);
        Assert.Equal(code, response.Code.ToString());
        Assert.Equal((ushort)1, response.MessageId);
        Assert.Equal([0x12], response.Token);
        Assert.False(response.Payload.IsEmpty, "a diagnostic payload says which option");
        Assert.Equal(0, harness.Delivered);
    }

    [Fact]
    public async Task Endpoint_BadCriticalOptionInNon_AnswersNon402()
    {
        await using var harness = new ServerHarness();

        var answer = harness.Process(Hex("51 02 00 01 12 90 22 68 62"));

        var response = Decode(answer!);
        Assert.Equal(CoapMessageType.NonConfirmable, response.Type);
        Assert.Equal(CoapCode.BadOption, response.Code);
        Assert.Equal(0, harness.Delivered);
    }

    [Fact]
    public async Task Endpoint_UnknownElectiveOption_IsIgnored()
    {
        await using var harness = new ServerHarness();

        // CON POST token 0x12, Uri-Path "hb", unknown elective option 2050 (even), payload 0x01.
        var answer = harness.Process(Hex("41 02 00 01 12 B2 68 62 E1 06 EA 00 FF 01"));

        var response = Decode(answer!);
        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(1, harness.Delivered);
        Assert.Equal([1], harness.Requests[0].Payload.ToArray());
    }

    [Fact]
    public async Task Endpoint_CoapPing_AnsweredWithReset()
    {
        await using var harness = new ServerHarness();

        var answer = harness.Process(Hex("40 00 12 34"));

        Assert.Equal(Hex("70 00 12 34"), answer);
        Assert.Equal(1, harness.Server.Metrics[CoapCounter.PingsAnswered]);
        Assert.Equal(0, harness.Server.Metrics.MalformedTotal);
    }

    [Fact]
    public void Reader_FormatError_CarriesTokenTypeAndMessageIdToAnswerWith()
    {
        // CON POST mid 0xBEEF token 12 34, Uri-Path "hb", lone payload marker.
        var datagram = Hex("42 02 BE EF 12 34 B2 68 62 FF");

        var ex = Assert.Throws<CoapFormatException>(() => CoapMessage.Decode(datagram));

        Assert.Equal(CoapFormatError.PayloadMarkerWithoutPayload, ex.Reason);
        Assert.Equal(CoapMessageType.Confirmable, ex.Type);
        Assert.Equal((ushort)0xBEEF, ex.MessageId);
        Assert.Equal([0x12, 0x34], ex.Token.ToArray());
    }
}
