using System.Net;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Tests.Support;
using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Tests.Coap;

/// <summary>The real receive loop survives transport errors, send errors and garbage, and keeps serving.</summary>
public sealed class ReceiveLoopTests
{
    [Fact]
    public async Task Server_TransportReceiveAndSendErrors_AreCountedAndLoopKeepsServing()
    {
        var inner = new ChannelTransport(new IPEndPoint(IPAddress.Loopback, 5683));
        var flaky = new FlakyTransport(inner);
        await using var server = new CoapServer(flaky);
        server.Map(CoapMethod.Post, "hb", (_, _) => ValueTask.FromResult(CoapResponse.Changed()));
        await server.StartAsync(CancellationToken.None);
        var peer = new PeerAddress(new IPEndPoint(IPAddress.Loopback, 40000));

        flaky.FailNextReceive = true;
        flaky.FailNextSend = true;
        inner.Inject(Datagrams.Hex("40 01 00 01 FF"), peer);                                              // malformed CON → RST (send fails)
        inner.Inject(Datagrams.Request(CoapMessageType.Confirmable, CoapMethod.Post, 2, [2], "hb", [1]), peer);
        var (data, to) = await inner.NextSentAsync();

        var response = CoapMessage.Decode(data);
        Assert.Equal(peer, to);
        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(2, response.MessageId);
        Assert.Equal(2, server.Metrics[CoapCounter.TransportErrors]);
        Assert.Equal(1, server.Metrics[CoapCounter.MalformedPayloadMarker]);
    }

    private sealed class FlakyTransport(ChannelTransport inner) : IDatagramTransport
    {
        public bool FailNextReceive { get; set; }

        public bool FailNextSend { get; set; }

        public int MaxDatagramSize => inner.MaxDatagramSize;

        public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

        public ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            if (FailNextReceive)
            {
                FailNextReceive = false;
                throw new IOException("simulated receive failure");
            }

            return inner.ReceiveAsync(buffer, cancellationToken);
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, PeerAddress peer, CancellationToken cancellationToken)
        {
            if (FailNextSend)
            {
                FailNextSend = false;
                throw new IOException("simulated send failure");
            }

            return inner.SendAsync(datagram, peer, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
