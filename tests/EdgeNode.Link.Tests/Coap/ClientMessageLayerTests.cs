using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Tests.Support;
using static EdgeNode.Link.Tests.Support.ClientHarness;

namespace EdgeNode.Link.Tests.Coap;

/// <summary>The client's message layer, scripted message by message against a server played by the test, with fake time.</summary>
public sealed class ClientMessageLayerTests
{
    private static readonly CoapEndpointOptions NoJitter = new() { AckRandomFactor = 1.0 };

    [Fact]
    public async Task Client_NoAck_RetransmitsWithDoublingTimeoutThenTimesOut()
    {
        await using var h = new ClientHarness(NoJitter);
        var start = h.Time.GetUtcNow();
        var send = h.Client.SendAsync(CoapMethod.Post, "hb", new byte[] { 1 });
        var first = await h.NextRequestAsync();
        int transmissions = 1;

        // Retransmissions at 2, 6, 14, 30 s (timeouts 2, 4, 8, 16 s), then give up 32 s later at 62 s.
        foreach (int at in new[] { 2, 6, 14, 30 })
        {
            await h.AdvanceAsync(start + TimeSpan.FromSeconds(at) - TimeSpan.FromMilliseconds(1) - h.Time.GetUtcNow());
            Assert.False(h.Transport.TryTakeSent(out _), $"nothing may be sent before {at} s");
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
            var again = await h.NextRequestAsync();
            Assert.Equal(first.MessageId, again.MessageId);
            Assert.Equal(first.Token, again.Token);
            transmissions++;
        }

        await h.AdvanceAsync(TimeSpan.FromSeconds(32) - TimeSpan.FromMilliseconds(1));
        Assert.False(send.IsCompleted);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        var ex = await Assert.ThrowsAsync<CoapTimeoutException>(() => send);

        Assert.Equal(5, ex.Transmissions);
        Assert.Contains("POST coap://192.0.2.1:5683/hb", ex.Message);
        Assert.Contains("62 s", ex.Message);
        Assert.Equal(4, h.Client.Metrics[CoapCounter.Retransmissions]);
        Assert.Equal(0, h.Client.Endpoint.PendingExchangeCount);
    }

    [Fact]
    public async Task Client_FirstTimeout_IsRandomisedBetweenAckTimeoutAndFactorTimesIt()
    {
        await using var h = new ClientHarness();
        _ = h.Client.SendAsync(CoapMethod.Get, "ds");
        await h.NextRequestAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        Assert.False(h.Transport.TryTakeSent(out _));
        h.Time.Advance(TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(1));

        await h.NextRequestAsync();
    }

    [Fact]
    public async Task Client_PiggybackedAck_ReturnsResponseAndStopsRetransmitting()
    {
        await using var h = new ClientHarness(NoJitter);
        var send = h.Client.SendAsync(CoapMethod.Post, "hb", new byte[] { 1 }, new CoapRequestOptions { Query = ["d=unit-1"] });
        var request = await h.NextRequestAsync();

        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Changed, request.MessageId, request.Token, [42]));
        var response = await send;
        await h.AdvanceAsync(TimeSpan.FromSeconds(100));

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal([42], response.Payload.ToArray());
        Assert.Equal(["hb"], request.GetStringOptions(CoapOptionNumber.UriPath));
        Assert.Equal(["d=unit-1"], request.GetStringOptions(CoapOptionNumber.UriQuery));
        Assert.Equal(2, request.Token.Length);
        Assert.False(h.Transport.TryTakeSent(out _), "no retransmission after the ACK");
    }

    [Fact]
    public async Task Client_AckWithWrongToken_IsIgnored()
    {
        await using var h = new ClientHarness(NoJitter);
        var send = h.Client.SendAsync(CoapMethod.Get, "ds");
        var request = await h.NextRequestAsync();

        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Content, request.MessageId, [0xDE, 0xAD], [1]));

        Assert.False(send.IsCompleted);
        Assert.Equal(1, h.Client.Metrics[CoapCounter.UnmatchedMessages]);
        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Content, request.MessageId, request.Token, [2]));
        Assert.Equal([2], (await send).Payload.ToArray());
    }

    [Fact]
    public async Task Client_Reset_ThrowsCoapResetException()
    {
        await using var h = new ClientHarness(NoJitter);
        var send = h.Client.SendAsync(CoapMethod.Post, "ev", new byte[] { 1 });
        var request = await h.NextRequestAsync();

        await h.DeliverAsync(Reply(CoapMessageType.Reset, CoapCode.Empty, request.MessageId, []));

        var ex = await Assert.ThrowsAsync<CoapResetException>(() => send);
        Assert.Contains("Reset", ex.Message);
        await h.AdvanceAsync(TimeSpan.FromSeconds(100));
        Assert.False(h.Transport.TryTakeSent(out _), "a reset exchange is not retransmitted");
    }

    [Fact]
    public async Task Client_EmptyAckThenSeparateResponse_AcksItAndReturnsIt()
    {
        await using var h = new ClientHarness(NoJitter);
        var send = h.Client.SendAsync(CoapMethod.Get, "ds");
        var request = await h.NextRequestAsync();

        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Empty, request.MessageId, []));
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.False(h.Transport.TryTakeSent(out _), "acknowledged: no retransmission while waiting for the separate response");
        await h.DeliverAsync(Reply(CoapMessageType.Confirmable, CoapCode.Content, 0x4242, request.Token, [7]));

        var response = await send;
        var ack = CoapMessage.Decode((await h.Transport.NextSentAsync()).Data);
        Assert.Equal([7], response.Payload.ToArray());
        Assert.Equal(CoapMessageType.Acknowledgement, ack.Type);
        Assert.Equal(CoapCode.Empty, ack.Code);
        Assert.Equal(0x4242, ack.MessageId);

        // The server retransmits its CON response (our ACK got lost): ACK it again, deliver nothing new.
        await h.DeliverAsync(Reply(CoapMessageType.Confirmable, CoapCode.Content, 0x4242, request.Token, [7]));
        var again = CoapMessage.Decode((await h.Transport.NextSentAsync()).Data);
        Assert.Equal(0x4242, again.MessageId);
        Assert.Equal(CoapMessageType.Acknowledgement, again.Type);
    }

    [Fact]
    public async Task Client_AckedButNoSeparateResponse_TimesOutClearly()
    {
        await using var h = new ClientHarness(NoJitter with { ResponseTimeout = TimeSpan.FromSeconds(30) });
        var send = h.Client.SendAsync(CoapMethod.Get, "ds");
        var request = await h.NextRequestAsync();
        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Empty, request.MessageId, []));

        // Only once the client waits for the separate response on its armed 30 s timer may the clock move.
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<CoapTimeoutException>(() => send);
        Assert.Contains("no separate response", ex.Message);
        Assert.Contains("/ds", ex.Message);
    }

    [Fact]
    public async Task Client_UnmatchedConResponse_IsReset()
    {
        await using var h = new ClientHarness(NoJitter);

        await h.DeliverAsync(Reply(CoapMessageType.Confirmable, CoapCode.Content, 0x1111, [9, 9], [1]));

        var rst = CoapMessage.Decode((await h.Transport.NextSentAsync()).Data);
        Assert.Equal(CoapMessageType.Reset, rst.Type);
        Assert.Equal(0x1111, rst.MessageId);
    }

    [Fact]
    public async Task Client_Nstart1_QueuesSecondRequestUntilFirstCompletes()
    {
        await using var h = new ClientHarness(NoJitter);
        var first = h.Client.SendAsync(CoapMethod.Post, "hb", new byte[] { 1 });
        var second = h.Client.SendAsync(CoapMethod.Post, "ev", new byte[] { 2 });
        var request1 = await h.NextRequestAsync();

        Assert.False(h.Transport.TryTakeSent(out _), "NSTART=1: the second request waits");
        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Changed, request1.MessageId, request1.Token));
        await first;
        var request2 = await h.NextRequestAsync();
        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Changed, request2.MessageId, request2.Token));
        await second;

        Assert.Equal(["ev"], request2.GetStringOptions(CoapOptionNumber.UriPath));
        Assert.NotEqual(request1.MessageId, request2.MessageId);
    }

    [Fact]
    public async Task Client_NonRequest_SendsOnceWithoutRetransmission()
    {
        await using var h = new ClientHarness(NoJitter);
        var send = h.Client.SendAsync(CoapMethod.Get, "ds", options: new CoapRequestOptions { Confirmable = false });
        var request = await h.NextRequestAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.False(h.Transport.TryTakeSent(out _));
        await h.DeliverAsync(Reply(CoapMessageType.NonConfirmable, CoapCode.Content, 0x0900, request.Token, [3]));

        Assert.Equal(CoapMessageType.NonConfirmable, request.Type);
        Assert.Equal([3], (await send).Payload.ToArray());
    }

    [Fact]
    public async Task Client_Cancelled_StopsRetransmitting()
    {
        await using var h = new ClientHarness(NoJitter);
        using var cts = new CancellationTokenSource();
        var send = h.Client.SendAsync(CoapMethod.Get, "ds", ct: cts.Token);
        await h.NextRequestAsync();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        await h.AdvanceAsync(TimeSpan.FromSeconds(100));
        Assert.False(h.Transport.TryTakeSent(out _));
        Assert.Equal(0, h.Client.Endpoint.PendingExchangeCount);
    }

    [Fact]
    public async Task Client_SeparateResponseWithUnknownCriticalOption_IsResetAndNotDelivered()
    {
        await using var h = new ClientHarness(NoJitter);
        var send = h.Client.SendAsync(CoapMethod.Get, "ds");
        var request = await h.NextRequestAsync();
        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Empty, request.MessageId, []));

        await h.DeliverAsync(Reply(CoapMessageType.Confirmable, CoapCode.Content, 0x5151, request.Token, [1], (9, [1])));

        var rst = CoapMessage.Decode((await h.Transport.NextSentAsync()).Data);
        Assert.Equal(CoapMessageType.Reset, rst.Type);
        Assert.Equal(0x5151, rst.MessageId);
        Assert.False(send.IsCompleted);
        Assert.Equal(1, h.Client.Metrics[CoapCounter.BadOptionRejected]);
    }

    [Fact]
    public async Task Client_Block2ETagChangesMidTransfer_RestartsFromBlockZero()
    {
        await using var h = new ClientHarness(NoJitter);
        var v1 = Enumerable.Repeat((byte)1, 40).ToArray();
        var v2 = Enumerable.Repeat((byte)2, 40).ToArray();
        var send = h.Client.SendAsync(CoapMethod.Get, "ds");

        // Block 0 of v1 (16-byte blocks), then block 1 comes from v2: the client must start again.
        var r0 = await h.NextRequestAsync();
        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Content, r0.MessageId, r0.Token, v1[..16], (CoapOptionNumber.ETag, [1]), (CoapOptionNumber.Block2, [0x08])));
        var r1 = await h.NextRequestAsync();
        Assert.True(r1.TryGetBlock(CoapOptionNumber.Block2, out var ask1));
        Assert.Equal(1, ask1.Number);
        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Content, r1.MessageId, r1.Token, v2[16..32], (CoapOptionNumber.ETag, [2]), (CoapOptionNumber.Block2, [0x18])));

        var again = await h.NextRequestAsync();
        Assert.False(again.TryGetBlock(CoapOptionNumber.Block2, out var ask) && ask.Number != 0);
        await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Content, again.MessageId, again.Token, v2[..16], (CoapOptionNumber.ETag, [2]), (CoapOptionNumber.Block2, [0x08])));
        for (int num = 1; num <= 2; num++)
        {
            var r = await h.NextRequestAsync();
            Assert.True(r.TryGetBlock(CoapOptionNumber.Block2, out var b));
            Assert.Equal(num, b.Number);
            int end = Math.Min(40, (num + 1) * 16);
            await h.DeliverAsync(Reply(CoapMessageType.Acknowledgement, CoapCode.Content, r.MessageId, r.Token, v2[(num * 16)..end], (CoapOptionNumber.ETag, [2]), (CoapOptionNumber.Block2, [(byte)((num << 4) | (end < 40 ? 8 : 0))])));
        }

        var response = await send;
        Assert.Equal(v2, response.Payload.ToArray());
        Assert.Equal([2], response.ETag.ToArray());
    }
}
