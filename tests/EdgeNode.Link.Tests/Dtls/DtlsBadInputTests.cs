using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>Garbage and truncated DTLS records sent to the server port: counted, never delivered, never fatal.</summary>
public sealed class DtlsBadInputTests
{
    private static readonly byte[] Key = Convert.FromHexString("0f0e0d0c0b0a09080706050403020100");

    /// <summary>A DTLS record: type, version {254,253} (or given), epoch, sequence 0, length, fragment.</summary>
    private static byte[] Record(byte type, int epoch, byte[] fragment, byte major = 254, byte minor = 253, int? claimedLength = null)
    {
        var length = claimedLength ?? fragment.Length;
        byte[] header = [type, major, minor, (byte)(epoch >> 8), (byte)epoch, 0, 0, 0, 0, 0, 1, (byte)(length >> 8), (byte)length];
        return [.. header, .. fragment];
    }

    /// <summary>A handshake message header (msg_type, length, message_seq, fragment_offset, fragment_length) + body.</summary>
    private static byte[] Handshake(byte type, byte[] body) =>
    [
        type, 0, (byte)(body.Length >> 8), (byte)body.Length, 0, 0, 0, 0, 0, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body,
    ];

    private static byte[] Bytes(int count, int seed) => Enumerable.Range(0, count).Select(i => (byte)((i * 73 + seed) % 256)).ToArray();

    public static TheoryData<byte[], DtlsDropReason> BadDatagrams => new()
    {
        // A single byte (the handshake content type and nothing else).
        { [22], DtlsDropReason.Malformed },
        // 12 bytes: one short of a record header.
        { Bytes(12, 1), DtlsDropReason.Malformed },
        // Handshake record header claiming 100 bytes of fragment, carrying 10: a truncated record.
        { Record(22, 0, Bytes(10, 2), claimedLength: 100), DtlsDropReason.Malformed },
        // Content type 99 is not a DTLS content type.
        { Record(99, 0, Bytes(20, 3)), DtlsDropReason.Malformed },
        // TLS 1.2 version {3,3} instead of DTLS {254,253}.
        { Record(22, 0, Bytes(20, 4), major: 3, minor: 3), DtlsDropReason.Malformed },
        // A valid first record followed by a truncated second one.
        { [.. Record(21, 0, [2, 40]), .. Record(23, 1, Bytes(30, 5), claimedLength: 64)], DtlsDropReason.Malformed },
        // Random bytes that start like nothing in particular.
        { Bytes(300, 6), DtlsDropReason.Malformed },
        // More than the 1500-byte MTU.
        { Record(23, 1, Bytes(1600, 7)), DtlsDropReason.TooLarge },
        // Well-formed application_data record (epoch 1) from an endpoint with no session.
        { Record(23, 1, Bytes(40, 8)), DtlsDropReason.NoSession },
        // Well-formed alert from an endpoint with no session.
        { Record(21, 0, [2, 40]), DtlsDropReason.NoSession },
        // Epoch-1 "ClientHello": only epoch 0 starts a handshake.
        { Record(22, 1, Handshake(1, Bytes(60, 9))), DtlsDropReason.NoSession },
        // ClientHello whose body is 4 bytes: cannot hold version and random.
        { Record(22, 0, Handshake(1, [254, 253, 0, 0])), DtlsDropReason.BadClientHello },
        // ClientHello with 80 bytes of garbage body.
        { Record(22, 0, Handshake(1, Bytes(80, 10))), DtlsDropReason.BadClientHello },
        // ClientHello whose handshake header claims more bytes than the record holds.
        { Record(22, 0, [1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 4, 0, 254, 253]), DtlsDropReason.BadClientHello },
    };

    [Theory]
    [MemberData(nameof(BadDatagrams))]
    public async Task Server_BadDatagram_CountedNotDeliveredAndLegitClientStillConnects(byte[] datagram, DtlsDropReason expected)
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = DtlsLoopbackTests.Server(keys);
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        attacker.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        attacker.SendTo(datagram, server.LocalEndPoint);
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.Dropped(expected) == 1), server.Metrics.ToString());
        Assert.Equal(1, server.Metrics.DroppedTotal);
        Assert.Equal(0, server.Metrics.HandshakesInProgress);

        await using var client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint, "dev-1", Key, DtlsLoopbackTests.Options());
        await client.SendAsync("after"u8.ToArray(), new PeerAddress(server.LocalEndPoint), default);
        var buffer = new byte[64];
        var received = await DtlsLoopbackTests.ReceiveAsync(server, buffer);
        Assert.Equal("after", Encoding.ASCII.GetString(buffer, 0, received.Length)); // the first thing delivered
    }

    [Fact]
    public async Task Server_GarbageFromEstablishedPeerEndpoint_SessionSurvivesAndNothingIsDelivered()
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = DtlsLoopbackTests.Server(keys);
        await using var relay = new UdpRelay(server.LocalEndPoint);
        await using var client = await DtlsClientTransport.ConnectAsync(relay.EndPoint, "dev-1", Key, DtlsLoopbackTests.Options());
        var serverPeer = new PeerAddress(relay.EndPoint);

        // Same source endpoint as the session: a forged application record (bad tag), a replay of a real record,
        // a truncated record and a garbage ClientHello.
        await client.SendAsync("first"u8.ToArray(), serverPeer, default);
        var buffer = new byte[64];
        Assert.Equal("first", Encoding.ASCII.GetString(buffer, 0, (await DtlsLoopbackTests.ReceiveAsync(server, buffer)).Length));
        var real = relay.ToServer.Last();
        var forged = (byte[])real.Clone();
        forged[^1] ^= 0x55;
        relay.InjectToServer(forged);
        relay.InjectToServer(real); // replay
        relay.InjectToServer(real[..^5]);
        relay.InjectToServer(Record(22, 0, Handshake(1, Bytes(80, 11))));

        Assert.True(await Eventually.TrueAsync(() =>
            server.Metrics.Dropped(DtlsDropReason.Malformed) == 1 && server.Metrics.Dropped(DtlsDropReason.BadClientHello) == 1), server.Metrics.ToString());
        await client.SendAsync("second"u8.ToArray(), serverPeer, default);
        var next = await DtlsLoopbackTests.ReceiveAsync(server, buffer);
        Assert.Equal("second", Encoding.ASCII.GetString(buffer, 0, next.Length)); // forged and replayed records were not delivered
        Assert.Equal(1, server.Metrics.SessionsActive);
        Assert.Equal(0, server.Metrics.Dropped(DtlsDropReason.SessionError));
    }

    [Fact]
    public async Task Server_FloodOfClientHellosWithoutCookie_OnlyCookieExchangesNoHandshakeState()
    {
        var keys = new TestKeyStore().Add("dev-1", Key);
        await using var server = DtlsLoopbackTests.Server(keys);
        await using var relay = new UdpRelay(server.LocalEndPoint);
        await using (await DtlsClientTransport.ConnectAsync(relay.EndPoint, "dev-1", Key, DtlsLoopbackTests.Options()))
        {
        }
        var hello = relay.ToServer.First(); // a real ClientHello without cookie
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        attacker.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var cookiesBefore = server.Metrics.CookieExchanges;

        for (var i = 0; i < 50; i++)
            attacker.SendTo(hello, server.LocalEndPoint);

        // Stateless: each gets a HelloVerifyRequest; no handshake starts, no peer is remembered.
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.CookieExchanges - cookiesBefore == 50), server.Metrics.ToString());
        Assert.Equal(0, server.Metrics.HandshakesInProgress);
        Assert.Empty(server.Sessions);
    }

    [Fact]
    public void Options_Invalid_ThrowNamingTheSetting()
    {
        Assert.Contains("CipherSuites", Assert.Throws<ArgumentException>(() => new DtlsOptions { CipherSuites = [] }.Validate()).Message);
        Assert.Contains("0x002F", Assert.Throws<ArgumentException>(() => new DtlsOptions { CipherSuites = [(DtlsCipherSuite)0x002F] }.Validate()).Message);
        Assert.Contains("HandshakeTimeout", Assert.Throws<ArgumentException>(() => new DtlsOptions { HandshakeTimeout = TimeSpan.Zero }.Validate()).Message);
        Assert.Contains("MaxSessions", Assert.Throws<ArgumentException>(() => new DtlsOptions { MaxSessions = 0 }.Validate()).Message);
        Assert.Contains("MaxConcurrentHandshakes", Assert.Throws<ArgumentException>(() => new DtlsOptions { MaxConcurrentHandshakes = 0 }.Validate()).Message);
        Assert.Contains("IdleTimeout", Assert.Throws<ArgumentException>(() => new DtlsOptions { IdleTimeout = TimeSpan.FromSeconds(-1) }.Validate()).Message);
        Assert.Contains("Mtu", Assert.Throws<ArgumentException>(() => new DtlsOptions { Mtu = 100 }.Validate()).Message);
        Assert.Contains("MaxDatagramSize", Assert.Throws<ArgumentException>(() => new DtlsOptions { MaxDatagramSize = 1450 }.Validate()).Message);
        new DtlsOptions().Validate();
    }
}
