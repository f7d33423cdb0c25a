using System.Text;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using static EdgeNode.Link.Tests.Support.Datagrams;

namespace EdgeNode.Link.Tests.Coap;

public sealed class CoapCodecTests
{
    [Fact]
    public void Writer_Rfc7252AppendixA_GetWithUriPathMatchesBytes()
    {
        // CON GET mid 0x7d34 no token, Uri-Path "temperature" (RFC 7252 Appendix A.1).
        Span<byte> buffer = stackalloc byte[64];
        var writer = new CoapMessageWriter(buffer);

        Assert.True(writer.TryWriteHeader(CoapMessageType.Confirmable, CoapCode.FromMethod(CoapMethod.Get), 0x7d34, default));
        Assert.True(writer.TryWriteOption(CoapOptionNumber.UriPath, "temperature"));

        Assert.Equal(Hex("40 01 7d 34 bb 74 65 6d 70 65 72 61 74 75 72 65"), writer.Written.ToArray());
    }

    [Fact]
    public void Reader_PiggybackedResponse_ExposesAllFields()
    {
        // ACK 2.05 mid 0x7d34 token 0x20, payload "22.3 C".
        var datagram = Hex("61 45 7d 34 20 ff 32 32 2e 33 20 43");

        Assert.True(CoapMessageReader.TryRead(datagram, out var message));

        Assert.Equal(CoapMessageType.Acknowledgement, message.Type);
        Assert.Equal(CoapCode.Content, message.Code);
        Assert.Equal(0x7d34, message.MessageId);
        Assert.Equal([0x20], message.Token.ToArray());
        Assert.Equal("22.3 C", Encoding.ASCII.GetString(message.Payload));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(268)]
    [InlineData(269)]
    [InlineData(1034)]
    public void Writer_OptionLengthExtensions_RoundTrip(int length)
    {
        var value = new byte[length];
        new Random(length).NextBytes(value);
        var buffer = new byte[4000];
        var writer = new CoapMessageWriter(buffer);
        writer.TryWriteHeader(CoapMessageType.NonConfirmable, CoapCode.Content, 1, [1, 2]);
        writer.TryWriteOption(CoapOptionNumber.IfMatch, value);
        writer.TryWriteOption(CoapOptionNumber.UriPath, "x");
        writer.TryWriteOption(300, value);
        writer.TryWriteOption(65000, value);
        writer.TryWritePayload("p"u8);

        Assert.True(CoapMessageReader.TryRead(buffer.AsSpan(0, writer.BytesWritten), out var message));

        var numbers = new List<int>();
        foreach (var option in message.Options)
        {
            numbers.Add(option.Number);
            if (option.Number != CoapOptionNumber.UriPath)
            {
                Assert.Equal(value, option.Value.ToArray());
            }
        }

        Assert.Equal([CoapOptionNumber.IfMatch, CoapOptionNumber.UriPath, 300, 65000], numbers);
        Assert.Equal("p"u8.ToArray(), message.Payload.ToArray());
    }

    [Fact]
    public void Writer_DestinationTooSmall_ReturnsFalseAndWritesNothing()
    {
        var buffer = new byte[8];
        var writer = new CoapMessageWriter(buffer);
        Assert.True(writer.TryWriteHeader(CoapMessageType.Confirmable, CoapCode.FromMethod(CoapMethod.Post), 7, [9, 9]));

        Assert.False(writer.TryWriteOption(CoapOptionNumber.UriPath, "toolong"));
        Assert.False(writer.TryWritePayload("abc"u8));
        Assert.Equal(6, writer.BytesWritten);
        Assert.Equal(new byte[2], buffer.AsSpan(6).ToArray());
        Assert.False(new CoapMessageWriter(new byte[3]).TryWriteHeader(CoapMessageType.Confirmable, CoapCode.Empty, 0, default));
    }

    [Fact]
    public void Writer_OptionsOutOfOrder_Throws()
    {
        var buffer = new byte[32];
        var writer = new CoapMessageWriter(buffer);
        writer.TryWriteHeader(CoapMessageType.Confirmable, CoapCode.FromMethod(CoapMethod.Get), 1, default);
        writer.TryWriteOption(CoapOptionNumber.UriQuery, "a");
        bool threw = false;
        try
        {
            writer.TryWriteOption(CoapOptionNumber.UriPath, "b");
        }
        catch (ArgumentOutOfRangeException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void Writer_UintOption_UsesFewestBytes()
    {
        var message = new CoapMessage { Code = CoapCode.Content };
        message.AddOption(CoapOptionNumber.ContentFormat, 0u);
        message.AddOption(CoapOptionNumber.MaxAge, 0x0100u);
        message.AddOption(CoapOptionNumber.Size2, 0x01020304u);

        Assert.Empty(message.GetOption(CoapOptionNumber.ContentFormat)!);
        Assert.Equal([1, 0], message.GetOption(CoapOptionNumber.MaxAge)!);
        Assert.Equal(0x01020304u, message.GetUInt(CoapOptionNumber.Size2));
    }

    [Theory]
    [InlineData(0, false, 6, 0x06u)]
    [InlineData(1, true, 6, 0x1Eu)]
    [InlineData(16, false, 2, 0x102u)]
    [InlineData(0xFFFFF, true, 0, 0xFFFFF8u)]
    public void BlockOption_EncodeDecode_RoundTrips(int number, bool more, int szx, uint raw)
    {
        var block = new CoapBlockOption(number, more, szx);
        var message = new CoapMessage().AddOption(CoapOptionNumber.Block2, block.Encode());

        Assert.Equal(raw, block.Encode());
        Assert.True(message.TryGetBlock(CoapOptionNumber.Block2, out var decoded));
        Assert.Equal(block, decoded);
    }

    [Fact]
    public void BlockOption_Szx7_IsRejected() => Assert.False(CoapBlockOption.TryDecode([0x07], out _));

    [Theory]
    [InlineData(0x00, "0.00")]
    [InlineData(0x45, "2.05")]
    [InlineData(0x8D, "4.13")]
    [InlineData(0xA0, "5.00")]
    public void Code_ToString_IsDottedDecimal(byte value, string expected) => Assert.Equal(expected, new CoapCode(value).ToString());

    [Fact]
    public void Code_Constants_HaveRfcValues()
    {
        Assert.Equal(0x44, CoapCode.Changed.Value);
        Assert.Equal(0x5F, CoapCode.Continue.Value);
        Assert.Equal(0x82, CoapCode.BadOption.Value);
        Assert.Equal(0x88, CoapCode.RequestEntityIncomplete.Value);
        Assert.Equal(0x8F, CoapCode.UnsupportedContentFormat.Value);
        Assert.Equal(0xA3, CoapCode.ServiceUnavailable.Value);
        Assert.Equal(4, CoapCode.RequestEntityTooLarge.Class);
        Assert.Equal(13, CoapCode.RequestEntityTooLarge.Detail);
    }

    [Fact]
    public void Response_Error_CarriesUtf8DiagnosticWithoutContentFormat()
    {
        var response = CoapResponse.Error(CoapCode.BadRequest, "malformed Heartbeat: truncated varint");

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Null(response.ContentFormat);
        Assert.Equal("malformed Heartbeat: truncated varint", response.PayloadText);
    }
}
