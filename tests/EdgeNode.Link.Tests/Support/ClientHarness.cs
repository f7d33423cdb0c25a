using System.Net;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Link.Tests.Support;

/// <summary>A <see cref="CoapClient"/> on a <see cref="ChannelTransport"/> with fake time; the test plays the server.</summary>
internal sealed class ClientHarness : IAsyncDisposable
{
    public static readonly PeerAddress ServerPeer = new(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5683));

    public ClientHarness(CoapEndpointOptions? options = null)
    {
        Transport = new ChannelTransport(new IPEndPoint(IPAddress.Parse("192.0.2.50"), 50000));
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        Client = new CoapClient(Transport, ServerPeer, options, Time, logger: null, random: new Random(7));
    }

    public ChannelTransport Transport { get; }

    public FakeTimeProvider Time { get; }

    public CoapClient Client { get; }

    /// <summary>The next request the client sent, decoded.</summary>
    public async Task<CoapMessage> NextRequestAsync()
    {
        var (data, to) = await Transport.NextSentAsync();
        Assert.Equal(ServerPeer, to);
        return CoapMessage.Decode(data);
    }

    /// <summary>Delivers a datagram "from the server" and waits until the client's receive loop processed it.</summary>
    public async Task DeliverAsync(byte[] datagram)
    {
        Transport.Inject(datagram, ServerPeer);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Transport.IsIdle)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("client did not process the datagram");
            }

            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Waits until the client is parked (every request waiting for a datagram or on an armed timer) and its transport
    /// idle, see <see cref="Quiescence"/>: the only safe moment to advance <see cref="Time"/> or to assert that
    /// nothing was sent.
    /// </summary>
    public Task WaitQuiescentAsync() => Quiescence.WaitAsync(() => Client.Endpoint.IsQuiescent, Transport);

    /// <summary>Advances the fake clock at a quiescent moment, then waits until everything it set off has settled.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await WaitQuiescentAsync();
        Time.Advance(by);
        await WaitQuiescentAsync();
    }

    public static byte[] Reply(CoapMessageType type, CoapCode code, ushort id, byte[] token, byte[]? payload = null, params (int Number, byte[] Value)[] options)
    {
        var message = new CoapMessage { Type = type, Code = code, MessageId = id, Token = token, Payload = payload ?? [] };
        foreach (var (number, value) in options)
        {
            message.AddOption(number, value);
        }

        return message.Encode();
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
