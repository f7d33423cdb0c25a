using System.Text;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Tests.Support;
using static EdgeNode.Link.Tests.Support.Datagrams;

namespace EdgeNode.Link.Tests.Coap;

/// <summary>The server's message layer and resource layer, scripted datagram by datagram, with fake time.</summary>
public sealed class ServerMessageLayerTests
{
    private static byte[] Post(ushort id, string path = "hb", byte[]? payload = null, CoapMessageType type = CoapMessageType.Confirmable, params (int, byte[])[] options) =>
        Request(type, CoapMethod.Post, id, [0xA1, (byte)id], path, payload ?? [1, 2, 3], options);

    [Fact]
    public async Task Server_DuplicateCon_GetsSameResponseHandlerRunsOnce()
    {
        await using var h = new ServerHarness();

        var first = h.Process(Post(100));
        var duplicate = h.Process(Post(100));

        Assert.NotNull(first);
        Assert.Equal(first, duplicate);
        Assert.Equal(1, h.Delivered);
        Assert.Equal(1, h.Server.Metrics[CoapCounter.DuplicatesReceived]);
        var response = Decode(first);
        Assert.Equal(CoapMessageType.Acknowledgement, response.Type);
        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(100, response.MessageId);
        Assert.Equal([0xA1, 100], response.Token);
    }

    [Fact]
    public async Task Server_DuplicateNon_DeliveredOnceAnsweredWithSameNon()
    {
        await using var h = new ServerHarness();

        var first = h.Process(Post(7, type: CoapMessageType.NonConfirmable));
        var duplicate = h.Process(Post(7, type: CoapMessageType.NonConfirmable));

        Assert.Equal(1, h.Delivered);
        Assert.Equal(CoapMessageType.NonConfirmable, Decode(first!).Type);
        Assert.Equal(first, duplicate);
    }

    [Fact]
    public async Task Server_SameMessageIdAfterExchangeLifetime_IsNewRequest()
    {
        await using var h = new ServerHarness();
        h.Process(Post(5));

        h.Time.Advance(CoapEndpointOptions.Default.ExchangeLifetime - TimeSpan.FromSeconds(1));
        h.Process(Post(5));
        Assert.Equal(1, h.Delivered);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        h.Process(Post(5));

        Assert.Equal(2, h.Delivered);
        Assert.Equal(TimeSpan.FromSeconds(247), CoapEndpointOptions.Default.ExchangeLifetime);
    }

    [Fact]
    public async Task Server_SameMessageIdFromOtherPeer_IsNotADuplicate()
    {
        await using var h = new ServerHarness();
        var other = new Transport.PeerAddress(new System.Net.IPEndPoint(ServerHarness.Peer.EndPoint.Address, 40001));

        h.Process(Post(5));
        h.Process(Post(5), other);

        Assert.Equal(2, h.Delivered);
    }

    [Fact]
    public async Task Server_SlowHandler_SendsEmptyAckThenConResponseRetransmittedUntilAcked()
    {
        var release = new TaskCompletionSource<CoapResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new ServerHarness(new CoapEndpointOptions { AckRandomFactor = 1.0 }, (_, _) => new ValueTask<CoapResponse>(release.Task));

        Assert.Null(h.Process(Post(300)));
        await h.WaitQuiescentAsync(); // the handler is running and the separate-response timer is armed
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var emptyAck = Decode((await h.Transport.NextSentAsync()).Data);
        Assert.Equal(CoapMessageType.Acknowledgement, emptyAck.Type);
        Assert.Equal(CoapCode.Empty, emptyAck.Code);
        Assert.Equal(300, emptyAck.MessageId);

        // A retransmitted request meanwhile gets the empty ACK again and is not delivered twice.
        var again = h.Process(Post(300));
        Assert.Equal(emptyAck.Encode(), again);

        release.SetResult(CoapResponse.Changed(new byte[] { 9 }));
        var separate = Decode((await h.Transport.NextSentAsync()).Data);
        Assert.Equal(CoapMessageType.Confirmable, separate.Type);
        Assert.Equal(CoapCode.Changed, separate.Code);
        Assert.Equal([0xA1, unchecked((byte)300)], separate.Token);
        Assert.NotEqual(300, separate.MessageId);

        // Not acknowledged: retransmitted after ACK_TIMEOUT with the same message id.
        await h.AdvanceAsync(TimeSpan.FromSeconds(2));
        var retransmitted = Decode((await h.Transport.NextSentAsync()).Data);
        Assert.Equal(separate.MessageId, retransmitted.MessageId);

        h.Process(ClientHarness.Reply(CoapMessageType.Acknowledgement, CoapCode.Empty, separate.MessageId, []));
        await h.AdvanceAsync(TimeSpan.FromSeconds(60));
        Assert.False(h.Transport.TryTakeSent(out _), "acknowledged: no more retransmissions");
        Assert.Equal(1, h.Delivered);
        Assert.Equal(0, h.Server.Endpoint.PendingExchangeCount);
    }

    [Fact]
    public async Task Server_HandlerThrows_Answers500WithReasonAndKeepsServing()
    {
        int calls = 0;
        await using var h = new ServerHarness(handler: (_, _) => ++calls == 1 ? throw new InvalidOperationException("database is gone") : ValueTask.FromResult(CoapResponse.Changed()));

        var failed = Decode(h.Process(Post(1))!);
        var next = Decode(h.Process(Post(2))!);

        Assert.Equal(CoapCode.InternalServerError, failed.Code);
        Assert.Contains("POST /hb failed: InvalidOperationException", Encoding.UTF8.GetString(failed.Payload.Span));
        Assert.Equal(CoapCode.Changed, next.Code);
        Assert.Equal(1, h.Server.Metrics[CoapCounter.HandlerErrors]);
    }

    [Fact]
    public async Task Server_AsyncHandlerThrows_Answers500()
    {
        await using var h = new ServerHarness(handler: async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidDataException("bad protobuf");
        });

        var immediate = h.Process(Post(1));
        var response = Decode(immediate ?? (await h.Transport.NextSentAsync()).Data);

        Assert.Equal(CoapCode.InternalServerError, response.Code);
        Assert.Equal(CoapMessageType.Acknowledgement, response.Type);
    }

    [Theory]
    [InlineData("nope", CoapMethod.Get, "4.04")]
    [InlineData("hb", CoapMethod.Delete, "4.05")]
    [InlineData("ds", CoapMethod.Post, "4.05")]
    public async Task Server_UnknownResourceOrMethod_AnswersClientError(string path, CoapMethod method, string code)
    {
        await using var h = new ServerHarness();

        var response = Decode(h.Process(Request(CoapMessageType.Confirmable, method, 1, [1], path))!);

        Assert.Equal(code, response.Code.ToString());
        Assert.Contains(path, Encoding.UTF8.GetString(response.Payload.Span));
        Assert.Equal(0, h.Delivered);
    }

    [Fact]
    public async Task Server_UnknownMethodCode_Answers405()
    {
        await using var h = new ServerHarness();

        // CON FETCH (0.05) /hb.
        var response = Decode(h.Process(Hex("41 05 00 01 01 B2 68 62"))!);

        Assert.Equal(CoapCode.MethodNotAllowed, response.Code);
    }

    [Fact]
    public async Task Server_WellKnownCore_ListsMappedResourcesInLinkFormat()
    {
        await using var h = new ServerHarness();
        h.Server.Map(CoapMethod.Post, "ev", (_, _) => ValueTask.FromResult(CoapResponse.Changed()), "rt=\"edgenode.ev\"");

        var response = Decode(h.Process(Request(CoapMessageType.Confirmable, CoapMethod.Get, 1, [1], ".well-known/core"))!);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(40u, response.GetUInt(CoapOptionNumber.ContentFormat));
        Assert.Equal("</ds>,</ev>;rt=\"edgenode.ev\",</hb>,</st>", Encoding.UTF8.GetString(response.Payload.Span));
    }

    [Fact]
    public async Task Server_Map_SameMethodAndPathTwice_Throws()
    {
        await using var h = new ServerHarness();

        var ex = Assert.Throws<InvalidOperationException>(() => h.Server.Map(CoapMethod.Post, "/hb", (_, _) => default));
        Assert.Contains("POST /hb", ex.Message);
    }

    [Fact]
    public async Task Server_RequestFields_ReachHandler()
    {
        await using var h = new ServerHarness();

        h.Process(Request(CoapMessageType.Confirmable, CoapMethod.Post, 1, [1], "st", [5], (CoapOptionNumber.UriQuery, "d=unit-9"u8.ToArray()), (CoapOptionNumber.ContentFormat, [42]), (CoapOptionNumber.Accept, [0])));

        var request = Assert.Single(h.Requests);
        Assert.Equal(CoapMethod.Post, request.Method);
        Assert.Equal("st", request.Path);
        Assert.Equal("unit-9", request.GetQueryValue("d"));
        Assert.Equal(42, request.ContentFormat);
        Assert.Equal(0, request.Accept);
        Assert.Equal(ServerHarness.Peer, request.Peer);
        Assert.True(request.Confirmable);
    }

    [Fact]
    public async Task Server_ConditionalGetWithCurrentETag_Answers203Valid()
    {
        await using var h = new ServerHarness(handler: (_, _) => ValueTask.FromResult(CoapResponse.Content(new byte[50]) with { ETag = new byte[] { 0, 0, 0, 7 } }));

        var fresh = Decode(h.Process(Request(CoapMessageType.Confirmable, CoapMethod.Get, 1, [1], "ds", null, (CoapOptionNumber.ETag, [0, 0, 0, 6])))!);
        var valid = Decode(h.Process(Request(CoapMessageType.Confirmable, CoapMethod.Get, 2, [2], "ds", null, (CoapOptionNumber.ETag, [0, 0, 0, 7])))!);

        Assert.Equal(CoapCode.Content, fresh.Code);
        Assert.Equal(50, fresh.Payload.Length);
        Assert.Equal(CoapCode.Valid, valid.Code);
        Assert.True(valid.Payload.IsEmpty);
        Assert.Equal([0, 0, 0, 7], valid.GetOption(CoapOptionNumber.ETag));
    }

    [Fact]
    public async Task Server_LargeResponse_ServedInBlock2WithSize2AndETag()
    {
        var body = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        await using var h = new ServerHarness(handler: (_, _) => ValueTask.FromResult(CoapResponse.Content(body)));
        var received = new List<byte>();
        byte[]? etag = null;

        for (int num = 0; ; num++)
        {
            var request = Request(CoapMessageType.Confirmable, CoapMethod.Get, (ushort)(10 + num), [(byte)num], "ds", null, (CoapOptionNumber.Block2, [(byte)((num << 4) | 6)]));
            var response = Decode(h.Process(request)!);
            Assert.Equal(CoapCode.Content, response.Code);
            Assert.True(response.TryGetBlock(CoapOptionNumber.Block2, out var block));
            Assert.Equal(num, block.Number);
            Assert.Equal(1024, block.Size);
            etag ??= response.GetOption(CoapOptionNumber.ETag);
            Assert.Equal(etag, response.GetOption(CoapOptionNumber.ETag));
            if (num == 0)
            {
                Assert.Equal(3000u, response.GetUInt(CoapOptionNumber.Size2));
            }

            received.AddRange(response.Payload.ToArray());
            if (!block.More)
            {
                break;
            }
        }

        Assert.Equal(body, received.ToArray());
        Assert.NotNull(etag);
        Assert.Equal(1, h.Delivered);
    }

    [Fact]
    public async Task Server_Block2NumberBeyondEnd_Answers402()
    {
        await using var h = new ServerHarness(handler: (_, _) => ValueTask.FromResult(CoapResponse.Content(new byte[100])));

        var response = Decode(h.Process(Request(CoapMessageType.Confirmable, CoapMethod.Get, 1, [1], "ds", null, (CoapOptionNumber.Block2, [0x56])))!);

        Assert.Equal(CoapCode.BadOption, response.Code);
    }

    [Fact]
    public async Task Server_Block1Upload_ContinuesThenDeliversWholeBodyOnce()
    {
        await using var h = new ServerHarness();
        var body = Enumerable.Range(0, 600).Select(i => (byte)(i * 7)).ToArray();

        var r0 = Decode(h.Process(Post(1, "st", body[..256], options: [(CoapOptionNumber.Block1, [0x0C]), (CoapOptionNumber.Size1, [0x02, 0x58])]))!);
        var r1 = Decode(h.Process(Post(2, "st", body[256..512], options: [(CoapOptionNumber.Block1, [0x1C])]))!);
        var r2 = Decode(h.Process(Post(3, "st", body[512..], options: [(CoapOptionNumber.Block1, [0x24])]))!);

        Assert.Equal(CoapCode.Continue, r0.Code);
        Assert.Equal(CoapCode.Continue, r1.Code);
        Assert.Equal(CoapCode.Changed, r2.Code);
        Assert.True(r2.TryGetBlock(CoapOptionNumber.Block1, out var echo));
        Assert.Equal(new CoapBlockOption(2, false, 4), echo);
        var request = Assert.Single(h.Requests);
        Assert.Equal(body, request.Payload.ToArray());
    }

    [Fact]
    public async Task Server_Block1OutOfOrder_Answers408()
    {
        await using var h = new ServerHarness();

        // Block 1 without block 0.
        var response = Decode(h.Process(Post(1, "st", new byte[256], options: [(CoapOptionNumber.Block1, [0x1C])]))!);

        Assert.Equal(CoapCode.RequestEntityIncomplete, response.Code);
        Assert.Equal(0, h.Delivered);
    }

    [Fact]
    public async Task Server_Block1ShortNonFinalBlock_Answers400()
    {
        await using var h = new ServerHarness();

        var response = Decode(h.Process(Post(1, "st", new byte[100], options: [(CoapOptionNumber.Block1, [0x0C])]))!);

        Assert.Equal(CoapCode.BadRequest, response.Code);
    }

    [Fact]
    public async Task Server_Block1BeyondMaxBodySize_Answers413WithSize1()
    {
        await using var h = new ServerHarness(new CoapEndpointOptions { MaxBodySize = 1000 });

        var announced = Decode(h.Process(Post(1, "st", new byte[256], options: [(CoapOptionNumber.Block1, [0x0C]), (CoapOptionNumber.Size1, [0x10, 0x00])]))!);
        h.Process(Post(2, "st", new byte[256], options: [(CoapOptionNumber.Block1, [0x0C])]));
        h.Process(Post(3, "st", new byte[256], options: [(CoapOptionNumber.Block1, [0x1C])]));
        h.Process(Post(4, "st", new byte[256], options: [(CoapOptionNumber.Block1, [0x2C])]));
        var grown = Decode(h.Process(Post(5, "st", new byte[256], options: [(CoapOptionNumber.Block1, [0x3C])]))!);

        Assert.Equal(CoapCode.RequestEntityTooLarge, announced.Code);
        Assert.Equal(1000u, announced.GetUInt(CoapOptionNumber.Size1));
        Assert.Equal(CoapCode.RequestEntityTooLarge, grown.Code);
        Assert.Equal(1000u, grown.GetUInt(CoapOptionNumber.Size1));
        Assert.Equal(0, h.Delivered);
    }

    [Fact]
    public async Task Server_Block1LargerThanPreferred_AsksForSmallerBlocks()
    {
        await using var h = new ServerHarness(new CoapEndpointOptions { PreferredBlockSize = 256 });
        var body = Enumerable.Range(0, 1500).Select(i => (byte)i).ToArray();

        var r0 = Decode(h.Process(Post(1, "st", body[..1024], options: [(CoapOptionNumber.Block1, [0x0E])]))!);
        Assert.True(r0.TryGetBlock(CoapOptionNumber.Block1, out var echo));
        Assert.Equal(new CoapBlockOption(0, true, 4), echo);

        // The client continues at 256-byte blocks from block 1.
        for (int num = 1; num * 256 < body.Length; num++)
        {
            int end = Math.Min(body.Length, (num + 1) * 256);
            bool more = end < body.Length;
            h.Process(Post((ushort)(1 + num), "st", body[(num * 256)..end], options: [(CoapOptionNumber.Block1, [(byte)((num << 4) | (more ? 8 : 0) | 4)])]));
        }

        Assert.Equal(body, Assert.Single(h.Requests).Payload.ToArray());
    }

    [Fact]
    public async Task Server_Size1AboveLimitWithoutBlock1_Answers413()
    {
        await using var h = new ServerHarness(new CoapEndpointOptions { MaxBodySize = 10 });

        var response = Decode(h.Process(Post(1, "st", new byte[5], options: [(CoapOptionNumber.Size1, [100])]))!);

        Assert.Equal(CoapCode.RequestEntityTooLarge, response.Code);
    }

    [Fact]
    public async Task Server_SeparateResponseReset_StopsRetransmitting()
    {
        var release = new TaskCompletionSource<CoapResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new ServerHarness(new CoapEndpointOptions { AckRandomFactor = 1.0 }, (_, _) => new ValueTask<CoapResponse>(release.Task));
        h.Process(Post(400));
        await h.WaitQuiescentAsync();
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Transport.NextSentAsync();
        release.SetResult(CoapResponse.Changed());
        var separate = Decode((await h.Transport.NextSentAsync()).Data);

        Assert.Null(h.Process(ClientHarness.Reply(CoapMessageType.Reset, CoapCode.Empty, separate.MessageId, [])));
        await h.AdvanceAsync(TimeSpan.FromSeconds(120));

        Assert.False(h.Transport.TryTakeSent(out _), "a reset separate response is not retransmitted");
        Assert.Equal(1, h.Server.Metrics[CoapCounter.ResetsReceived]);
        Assert.Equal(0, h.Server.Endpoint.PendingExchangeCount);
    }

    [Theory]
    [InlineData("rt=edgenode.ev", "</ev>;rt=\"edgenode.ev\"")]
    [InlineData("rt=edgenode.*", "</ev>;rt=\"edgenode.ev\"")]
    [InlineData("href=/hb", "</hb>")]
    [InlineData("href=/*", "</ds>,</ev>;rt=\"edgenode.ev\",</hb>,</st>")]
    [InlineData("if=sensor", "</ev>;rt=\"edgenode.ev\"")]
    [InlineData("rt=nothing", "")]
    public async Task Server_WellKnownCoreWithQueryFilter_ListsMatchingLinksOnly(string filter, string expected)
    {
        await using var h = new ServerHarness();
        h.Server.Map(CoapMethod.Post, "ev", (_, _) => ValueTask.FromResult(CoapResponse.Changed()), "rt=\"edgenode.ev\";if=\"sensor actuator\"");

        var response = Decode(h.Process(Request(CoapMessageType.Confirmable, CoapMethod.Get, 1, [1], ".well-known/core", null, (CoapOptionNumber.UriQuery, Encoding.UTF8.GetBytes(filter))))!);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(expected.Replace("</ev>;rt=\"edgenode.ev\"", "</ev>;rt=\"edgenode.ev\";if=\"sensor actuator\"", StringComparison.Ordinal), Encoding.UTF8.GetString(response.Payload.Span));
    }

    [Fact]
    public async Task Server_AcceptOtherThanProduced_Answers406()
    {
        await using var h = new ServerHarness(handler: (_, _) => ValueTask.FromResult(CoapResponse.Content(new byte[] { 1 }, CoapContentFormats.Cbor)));

        var wrong = Decode(h.Process(Request(CoapMessageType.Confirmable, CoapMethod.Get, 1, [1], "ds", null, (CoapOptionNumber.Accept, [50])))!);
        var right = Decode(h.Process(Request(CoapMessageType.Confirmable, CoapMethod.Get, 2, [2], "ds", null, (CoapOptionNumber.Accept, [60])))!);

        Assert.Equal(CoapCode.NotAcceptable, wrong.Code);
        Assert.Equal(CoapCode.Content, right.Code);
    }

    [Fact]
    public async Task Server_Block2HeldBodyExpired_RunsHandlerAgainAndHoldsNewBody()
    {
        int version = 1;
        await using var h = new ServerHarness(handler: (_, _) => ValueTask.FromResult(CoapResponse.Content(Enumerable.Repeat((byte)version, 3000).ToArray()) with { ETag = new byte[] { (byte)version } }));
        byte[] Block(int num, ushort id) => Request(CoapMessageType.Confirmable, CoapMethod.Get, id, [(byte)id], "ds", null, (CoapOptionNumber.Block2, [(byte)((num << 4) | 6)]));

        var b0 = Decode(h.Process(Block(0, 1))!);
        version = 2;
        h.Time.Advance(CoapEndpointOptions.Default.ExchangeLifetime + TimeSpan.FromSeconds(1));
        var b1 = Decode(h.Process(Block(1, 2))!);
        var b2 = Decode(h.Process(Block(2, 3))!);

        Assert.Equal([1], b0.GetOption(CoapOptionNumber.ETag));
        Assert.Equal([2], b1.GetOption(CoapOptionNumber.ETag));
        Assert.Equal([2], b2.GetOption(CoapOptionNumber.ETag));
        Assert.Equal(2, h.Delivered);
    }
}
