using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>Our DtlsClientTransport against our DtlsServerTransport on loopback.</summary>
public sealed class DtlsLoopbackTests
{
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    private static readonly byte[] OtherKey = Convert.FromHexString("ffeeddccbbaa99887766554433221100");
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    internal static DtlsOptions Options(TimeSpan? handshakeTimeout = null, DtlsCipherSuite? suite = null) => new()
    {
        HandshakeTimeout = handshakeTimeout ?? Generous,
        CipherSuites = suite is { } s ? [s] : new DtlsOptions().CipherSuites,
    };

    internal static DtlsServerTransport Server(IPskKeyStore keys, DtlsOptions? options = null, ILogger? logger = null, TimeProvider? time = null) =>
        new(new IPEndPoint(IPAddress.Loopback, 0), keys, options ?? Options(), time, logger);

    internal static async Task<ReceivedDatagram> ReceiveAsync(IDatagramTransport transport, byte[] buffer, TimeSpan? within = null)
    {
        using var cts = new CancellationTokenSource(within ?? Generous);
        return await transport.ReceiveAsync(buffer, cts.Token);
    }

    [Theory]
    [InlineData(DtlsCipherSuite.PskWithAes128Ccm8)]
    [InlineData(DtlsCipherSuite.PskWithAes128GcmSha256)]
    public async Task ClientAndServer_Handshake_ExchangeDatagramsWithAuthenticatedIdentity(DtlsCipherSuite suite)
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys, Options(suite: suite));
        await using var client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, Options(suite: suite));

        Assert.Equal(suite, client.CipherSuite);
        await client.SendAsync("ping"u8.ToArray(), new PeerAddress(server.LocalEndPoint), default);
        var buffer = new byte[2048];
        var received = await ReceiveAsync(server, buffer);
        Assert.Equal("ping", Encoding.ASCII.GetString(buffer, 0, received.Length));
        Assert.Equal("dev-1", received.Peer.Identity);
        Assert.Equal(client.LocalEndPoint.Port, received.Peer.EndPoint.Port);

        await server.SendAsync("pong"u8.ToArray(), received.Peer, default);
        var answer = await ReceiveAsync(client, buffer);
        Assert.Equal("pong", Encoding.ASCII.GetString(buffer, 0, answer.Length));
        Assert.Equal(new PeerAddress(server.LocalEndPoint), answer.Peer);
        Assert.Equal(1, server.Metrics.HandshakesSucceeded);
        Assert.Equal(1, server.Metrics.SessionsActive);
        Assert.True(server.Metrics.CookieExchanges >= 1); // HelloVerifyRequest before the handshake
    }

    [Fact]
    public async Task Server_ManyHandshakesWithOneIdentity_AllSucceedAndStoreKeyIsUntouched()
    {
        // BouncyCastle clears the PSK array it gets: the transport must hand it a copy every time.
        var storeKey = (byte[])Key.Clone();
        var keys = new TestKeyStore().Add("dev-1", storeKey);
        await using var server = Server(keys);
        for (var i = 0; i < 3; i++)
        {
            await using var client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, Options());
            await client.SendAsync(new[] { (byte)i }, new PeerAddress(server.LocalEndPoint), default);
            var buffer = new byte[16];
            var received = await ReceiveAsync(server, buffer);
            Assert.Equal(i, buffer[0]);
            Assert.Equal("dev-1", received.Peer.Identity);
        }
        Assert.Equal(Key, storeKey);
        Assert.Equal(3, server.Metrics.HandshakesSucceeded);
        Assert.Equal(3, keys.Lookups);
    }

    [Fact]
    public async Task Client_WrongKey_FailsWithinTimeoutAndServerLogsIdentityNotKey()
    {
        var logger = new CapturingLogger();
        var keys = new TestKeyStore().Add("dev-42", Key);
        await using var server = Server(keys, Options(TimeSpan.FromSeconds(2)), logger);

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() =>
            DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-42", OtherKey, Options(TimeSpan.FromSeconds(2))));

        Assert.Equal(DtlsHandshakeFailure.Timeout, error.Reason);
        Assert.Contains($"DTLS handshake with {server.LocalEndPoint} as 'dev-42' failed", error.Message);
        Assert.Contains("wrong key or unknown identity?", error.Message);
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.HandshakesFailedBy(DtlsHandshakeFailure.Timeout) == 1), server.Metrics.ToString());
        var failures = logger.Lines.Where(l => l.EventId == 2102).ToArray();
        var line = Assert.Single(failures);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("'dev-42'", line.Text);
        Assert.Contains("wrong key?", line.Text);
        AssertNoKeyIn(logger, Key);
        AssertNoKeyIn(logger, OtherKey);
        Assert.Equal(0, server.Metrics.SessionsActive);
    }

    [Fact]
    public async Task Client_UnknownIdentity_FailsFastWithUnknownIdentityBothSides()
    {
        var logger = new CapturingLogger();
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys, Options(), logger);

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() =>
            DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "stranger", Key, Options()));

        // No waiting for a timeout: unknown_psk_identity is an explicit alert.
        Assert.Equal(DtlsHandshakeFailure.UnknownIdentity, error.Reason);
        Assert.Contains("as 'stranger' failed", error.Message);
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.HandshakesFailedBy(DtlsHandshakeFailure.UnknownIdentity) == 1));
        var line = Assert.Single(logger.Lines, l => l.EventId == 2102);
        Assert.Contains("'stranger'", line.Text);
        Assert.Contains("unknown_identity", line.Text);
        AssertNoKeyIn(logger, Key);
    }

    [Fact]
    public async Task DropSessions_RevokedIdentity_SessionClosedAndNewHandshakeFails()
    {
        var keys = new TestKeyStore().Add("dev-old", Key).Add("dev-other", OtherKey);
        await using var server = Server(keys);
        await using var revoked = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-old", Key, Options());
        await using var other = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-other", OtherKey, Options());
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.SessionsActive == 2));

        keys.Remove("dev-old");
        Assert.Equal(1, server.DropSessions("dev-old"));

        // The server sent close_notify: the unit learns its session is over.
        Assert.True(await Eventually.TrueAsync(() => !revoked.IsConnected));
        await Assert.ThrowsAsync<DtlsSessionClosedException>(() =>
            revoked.SendAsync("hb"u8.ToArray(), new PeerAddress(server.LocalEndPoint), default).AsTask());
        Assert.Equal(1, server.Metrics.SessionsActive);
        Assert.Equal(1, server.Metrics.SessionsDropped);
        Assert.DoesNotContain(server.Sessions, p => p.Identity == "dev-old");

        // The other unit is untouched.
        await other.SendAsync("still here"u8.ToArray(), new PeerAddress(server.LocalEndPoint), default);
        var buffer = new byte[64];
        var received = await ReceiveAsync(server, buffer);
        Assert.Equal("dev-other", received.Peer.Identity);

        // And the revoked unit cannot come back with its old key.
        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() =>
            DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-old", Key, Options()));
        Assert.Equal(DtlsHandshakeFailure.UnknownIdentity, error.Reason);
    }

    [Fact]
    public async Task DropSessions_CloseNotifyLost_OldSessionRecordsAreDroppedNotDelivered()
    {
        var keys = new TestKeyStore().Add("dev-old", Key);
        await using var server = Server(keys);
        await using var relay = new UdpRelay(server.LocalEndPoint);
        await using var revoked = await DtlsClientTransport.ConnectAsync(relay.EndPoint, "dev-old", Key, Options());

        relay.DropToClient = true; // the close_notify never arrives
        keys.Remove("dev-old");
        Assert.Equal(1, server.DropSessions("dev-old"));
        Assert.True(revoked.IsConnected);

        var before = server.Metrics.Dropped(DtlsDropReason.NoSession);
        await revoked.SendAsync("hb"u8.ToArray(), new PeerAddress(relay.EndPoint), default);
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.Dropped(DtlsDropReason.NoSession) > before));
        // Counted as dropped at the point where it would have been delivered: nothing is queued.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            server.ReceiveAsync(new byte[64], new CancellationToken(canceled: true)).AsTask());
    }

    [Fact]
    public async Task Client_RestartOnSamePort_ServerReplacesSessionWithFreshHandshake()
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys);
        var port = FreeUdpPort();
        var options = Options() with { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, port) };
        var buffer = new byte[64];

        var first = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, options);
        await first.SendAsync("one"u8.ToArray(), new PeerAddress(server.LocalEndPoint), default);
        Assert.Equal("dev-1", (await ReceiveAsync(server, buffer)).Peer.Identity);
        await first.AbandonAsync(); // power cut: no close_notify, the server still holds the session

        await using var second = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, options);
        Assert.Equal(port, second.LocalEndPoint.Port);
        await second.SendAsync("two"u8.ToArray(), new PeerAddress(server.LocalEndPoint), default);
        var received = await ReceiveAsync(server, buffer);
        Assert.Equal("two", Encoding.ASCII.GetString(buffer, 0, received.Length));
        await server.SendAsync("ack"u8.ToArray(), received.Peer, default);
        Assert.Equal("ack", Encoding.ASCII.GetString(buffer, 0, (await ReceiveAsync(second, buffer)).Length));

        Assert.Equal(2, server.Metrics.HandshakesSucceeded);
        Assert.Equal(1, server.Metrics.SessionsReplaced);
        Assert.Equal(1, server.Metrics.SessionsActive);
    }

    [Fact]
    public async Task Server_IdleSession_ExpiresOnInjectedClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys, Options() with { IdleTimeout = TimeSpan.FromMinutes(5) }, time: time);
        await using var client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, Options());
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.SessionsActive == 1));

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, server.SweepIdleSessions());
        Assert.Equal(1, server.Metrics.SessionsActive);

        await client.SendAsync("hb"u8.ToArray(), new PeerAddress(server.LocalEndPoint), default);
        await ReceiveAsync(server, new byte[16]); // traffic refreshes the session
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, server.SweepIdleSessions());

        time.Advance(TimeSpan.FromMinutes(2)); // the sweep timer fires inside Advance
        Assert.Equal(0, server.Metrics.SessionsActive);
        Assert.Equal(1, server.Metrics.SessionsExpired);
        Assert.True(await Eventually.TrueAsync(() => !client.IsConnected)); // close_notify reached the client
    }

    [Fact]
    public async Task Server_SendToEndpointOfAnotherIdentity_IsDroppedNotEncryptedToIt()
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys);
        await using var client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, Options());
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.SessionsActive == 1));
        var endPoint = Assert.Single(server.Sessions).EndPoint;

        await server.SendAsync("secret for dev-2"u8.ToArray(), new PeerAddress(endPoint, "dev-2"), default);
        await server.SendAsync("x"u8.ToArray(), new PeerAddress(new IPEndPoint(IPAddress.Loopback, 9), "dev-1"), default);
        Assert.Equal(2, server.Metrics.Dropped(DtlsDropReason.SendNoSession));

        await server.SendAsync("for dev-1"u8.ToArray(), new PeerAddress(endPoint, "dev-1"), default);
        var buffer = new byte[64];
        Assert.Equal("for dev-1", Encoding.ASCII.GetString(buffer, 0, (await ReceiveAsync(client, buffer)).Length));
    }

    [Fact]
    public async Task SendAsync_DatagramAboveMaxDatagramSize_ThrowsNamingTheLimit()
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys);
        await using var client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, Options());

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            client.SendAsync(new byte[client.MaxDatagramSize + 1], new PeerAddress(server.LocalEndPoint), default).AsTask());
        Assert.Contains($"MaxDatagramSize of {client.MaxDatagramSize} bytes", error.Message);

        // The largest allowed datagram goes through in one record.
        await client.SendAsync(new byte[client.MaxDatagramSize], new PeerAddress(server.LocalEndPoint), default);
        Assert.Equal(client.MaxDatagramSize, (await ReceiveAsync(server, new byte[4096])).Length);
    }

    [Fact]
    public async Task Client_NoServerListening_FailsAsUnreachable()
    {
        var port = FreeUdpPort();
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() =>
            DtlsClientTransport.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), "dev-1", Key, Options(TimeSpan.FromMinutes(2))));
        Assert.Equal(DtlsHandshakeFailure.Unreachable, error.Reason);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(1), "the ICMP error ends the handshake, not the 2-minute timeout");
        Assert.Contains("ICMP port unreachable", error.Message);
    }

    [Fact]
    public async Task Client_Canceled_ThrowsOperationCanceled()
    {
        // A socket that never answers: the handshake would wait for its whole timeout.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DtlsClientTransport.ConnectAsync((IPEndPoint)silent.LocalEndPoint!, "dev-1", Key, Options(TimeSpan.FromMinutes(1)), null, null, cts.Token));
    }

    [Fact]
    public async Task Server_SessionLimitReached_RefusesNewHandshakeAndCountsIt()
    {
        var keys = new TestKeyStore().Add("dev-1", Key).Add("dev-2", Key);
        await using var server = Server(keys, Options() with { MaxSessions = 1 });
        await using var first = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, Options());

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() =>
            DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-2", Key, Options(TimeSpan.FromSeconds(2))));
        Assert.Equal(DtlsHandshakeFailure.Timeout, error.Reason);
        Assert.True(server.Metrics.Dropped(DtlsDropReason.SessionLimit) >= 1);
        Assert.Equal(1, server.Metrics.SessionsActive);
    }

    [Fact]
    public async Task Server_HandshakeLimitReached_LaterClientGetsInOnceTheSlotFrees()
    {
        var keys = new TestKeyStore().Add("dev-1", Key).Add("dev-2", Key);
        await using var server = Server(keys, Options(TimeSpan.FromSeconds(4)) with { MaxConcurrentHandshakes = 1 });

        // A wrong-key client holds the only handshake slot until the server's 4 s timeout.
        var blocker = DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", OtherKey, Options(TimeSpan.FromSeconds(4)));
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.HandshakesInProgress == 1));
        await using var late = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-2", Key, Options(TimeSpan.FromSeconds(30)));

        await Assert.ThrowsAsync<DtlsHandshakeException>(() => blocker);
        Assert.True(server.Metrics.Dropped(DtlsDropReason.HandshakeLimit) >= 1, server.Metrics.ToString());
        Assert.True(late.IsConnected);
    }

    [Fact]
    public async Task Server_FloodOfFailedHandshakes_LogIsRateLimitedButEveryFailureCounted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var logger = new CapturingLogger();
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys, Options(), logger, time);

        for (var i = 0; i < 25; i++)
        {
            await Assert.ThrowsAsync<DtlsHandshakeException>(() =>
                DtlsClientTransport.ConnectAsync(server.LocalEndPoint, $"stranger-{i}", Key, Options()));
        }
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.HandshakesFailedBy(DtlsHandshakeFailure.UnknownIdentity) == 25));
        Assert.Equal(20, logger.Lines.Count(l => l.EventId == 2102)); // 20 lines per 10 s window

        time.Advance(TimeSpan.FromSeconds(11));
        await Assert.ThrowsAsync<DtlsHandshakeException>(() => DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "stranger-last", Key, Options()));
        Assert.True(await Eventually.TrueAsync(() => logger.Lines.Count(l => l.EventId == 2102) == 21));
        var summary = Assert.Single(logger.Lines, l => l.EventId == 2111);
        Assert.StartsWith("5 more DTLS handshake failures were not logged", summary.Text);
        Assert.Contains(logger.Lines, l => l.EventId == 2102 && l.Text.Contains("'stranger-last'"));
    }

    [Fact]
    public async Task Server_ReceiveQueueFull_DropsNewestAndCountsThem()
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys, Options() with { ReceiveQueueCapacity = 2 });
        await using var client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, Options());

        for (byte i = 0; i < 5; i++)
            await client.SendAsync(new[] { i }, new PeerAddress(server.LocalEndPoint), default);

        Assert.True(await Eventually.TrueAsync(() => server.Metrics.Dropped(DtlsDropReason.ReceiveQueueFull) == 3), server.Metrics.ToString());
        var buffer = new byte[8];
        await ReceiveAsync(server, buffer);
        Assert.Equal(0, buffer[0]);
        await ReceiveAsync(server, buffer);
        Assert.Equal(1, buffer[0]);
    }

    [Fact]
    public async Task Client_Dispose_SendsCloseNotifyAndServerForgetsSession()
    {
        var logger = new CapturingLogger();
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys, Options(), logger);
        var client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, Options());
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.SessionsActive == 1));

        await client.DisposeAsync();

        Assert.True(await Eventually.TrueAsync(() => server.Metrics.SessionsActive == 0));
        Assert.Empty(server.Sessions);
        Assert.Contains(logger.Lines, l => l.EventId == 2103 && l.Text.Contains("'dev-1'") && l.Text.Contains("closed by the client"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            client.SendAsync(new byte[1], new PeerAddress(server.LocalEndPoint), default).AsTask());
    }

    [Fact]
    public async Task Metrics_Meter_PublishesHandshakeResultsSessionsAndDrops()
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys);
        await using var client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, Options());
        await Assert.ThrowsAsync<DtlsHandshakeException>(() => DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "stranger", Key, Options()));
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.HandshakesFailed == 1 && server.Metrics.SessionsActive == 1));

        var seen = new List<(string Name, long Value, string Tags)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, server.Metrics.Meter))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            seen.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
            seen.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Contains(("edgenode.dtls.handshakes", 1L, "result=ok"), seen);
        Assert.Contains(("edgenode.dtls.handshakes", 1L, "result=failed,reason=unknown_identity"), seen);
        Assert.Contains(("edgenode.dtls.handshakes", 0L, "result=failed,reason=timeout"), seen);
        Assert.Contains(("edgenode.dtls.sessions.active", 1L, ""), seen);
        Assert.Contains(seen, m => m.Name == "edgenode.dtls.datagrams.dropped" && m.Tags == "reason=malformed");
    }

    [Fact]
    public async Task Server_ManyConcurrentClientsWithSmallHandshakeLimit_AllConnectWithTheirOwnIdentity()
    {
        const int clients = 16;
        var keys = new TestKeyStore();
        for (var i = 0; i < clients; i++)
            keys.Add($"dev-{i}", [.. Key, (byte)i]);
        await using var server = Server(keys, Options(TimeSpan.FromSeconds(30)) with { MaxConcurrentHandshakes = 4 });

        // Handshakes beyond the limit (if they overlap) are refused; the clients' ClientHello retransmissions get in later.
        var connecting = Enumerable.Range(0, clients).Select(i =>
            DtlsClientTransport.ConnectAsync(server.LocalEndPoint, $"dev-{i}", (byte[])[.. Key, (byte)i], Options(TimeSpan.FromSeconds(60)))).ToArray();
        var connected = await Task.WhenAll(connecting);
        try
        {
            for (var i = 0; i < clients; i++)
                await connected[i].SendAsync(new[] { (byte)i }, new PeerAddress(server.LocalEndPoint), default);
            var buffer = new byte[8];
            var seen = new HashSet<string>();
            for (var i = 0; i < clients; i++)
            {
                var received = await ReceiveAsync(server, buffer);
                Assert.Equal($"dev-{buffer[0]}", received.Peer.Identity); // each datagram under its sender's identity
                seen.Add(received.Peer.Identity!);
            }
            Assert.Equal(clients, seen.Count);
            Assert.Equal(clients, server.Metrics.SessionsActive);
            Assert.Equal(clients, server.Metrics.HandshakesSucceeded);
        }
        finally
        {
            foreach (var client in connected)
                await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Handshake_ServerFlightsLost_CompletesByRetransmission()
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = Server(keys);
        // Lose the HelloVerifyRequest and the first ServerHello flight: both sides retransmit.
        await using var relay = new UdpRelay(server.LocalEndPoint) { DropToClientAt = index => index is 1 or 2 };

        await using var client = await DtlsClientTransport.ConnectAsync(relay.EndPoint, "dev-1", Key, Options());

        Assert.True(relay.ToClient.Count > 3, $"{relay.ToClient.Count} datagrams toward the client");
        await client.SendAsync("after loss"u8.ToArray(), new PeerAddress(relay.EndPoint), default);
        var buffer = new byte[32];
        Assert.Equal("after loss", Encoding.ASCII.GetString(buffer, 0, (await ReceiveAsync(server, buffer)).Length));
    }

    internal static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    internal static void AssertNoKeyIn(CapturingLogger logger, byte[] key)
    {
        var all = logger.Dump();
        Assert.DoesNotContain(Convert.ToHexString(key), all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key), all, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.Latin1.GetString(key), all, StringComparison.Ordinal);
    }
}
