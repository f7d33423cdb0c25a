using System.Buffers.Binary;
using System.Net;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace EdgeNode.Link.Tests.Coap;

/// <summary>
/// Client and server over an in-memory link that drops, duplicates and reorders (seeded), with one fake clock
/// driving every retransmission. Every CON request reaches its handler at most once; it is answered, or the client
/// gets a clear <see cref="CoapTimeoutException"/> after MAX_RETRANSMIT.
/// </summary>
public sealed class LossyTransportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 0.30, 0.10, 0.10)]
    [InlineData(2, 0.30, 0.20, 0.20)]
    [InlineData(3, 0.0, 0.50, 0.30)]
    public Task ClientServer_LossyLink_EachRequestHandledAtMostOnceAndAnsweredOrTimedOut(int seed, double loss, double duplicate, double reorder)
        => RunAsync(seed, loss, duplicate, reorder);

    private async Task RunAsync(int seed, double loss, double duplicate, double reorder)
    {
        const int Requests = 60;
        var serverTransport = new ChannelTransport(new IPEndPoint(IPAddress.Parse("10.1.0.1"), 5683));
        var clientTransport = new ChannelTransport(new IPEndPoint(IPAddress.Parse("10.1.0.2"), 40000));
        serverTransport.RecordSent = false;
        clientTransport.RecordSent = false;
        var network = new LossyNetwork(clientTransport, serverTransport, seed, loss, duplicate, reorder);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var handled = new int[Requests];
        await using var server = new CoapServer(serverTransport, null, time, null, new Random(seed));
        server.Map(CoapMethod.Post, "hb", (request, _) =>
        {
            int index = BinaryPrimitives.ReadInt32BigEndian(request.Payload.Span);
            Interlocked.Increment(ref handled[index]);
            return ValueTask.FromResult(CoapResponse.Changed(request.Payload));
        });
        await server.StartAsync(CancellationToken.None);
        await using var client = new CoapClient(clientTransport, serverTransport.Address, null, time, null, new Random(seed + 1000));

        int answered = 0;
        int timedOut = 0;
        for (int i = 0; i < Requests; i++)
        {
            var payload = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(payload, i);
            var send = client.SendAsync(CoapMethod.Post, "hb", payload);
            for (int step = 0; !send.IsCompleted; step++)
            {
                Assert.True(step < 2000, $"request {i} neither answered nor timed out after {step} clock steps");
                // Step the clock only when nothing else can happen: both endpoints parked on the network or an armed
                // timer, and the client really waiting for this request (not resuming on the thread pool).
                await network.WaitQuiescentAsync(() => server.Endpoint.IsQuiescent && client.Endpoint.IsQuiescent && (send.IsCompleted || client.Endpoint.RequestsInFlight > 0));
                if (send.IsCompleted)
                {
                    break;
                }

                network.Flush();
                time.Advance(TimeSpan.FromMilliseconds(500));
            }

            try
            {
                var response = await send;
                Assert.Equal(CoapCode.Changed, response.Code);
                Assert.Equal(payload, response.Payload.ToArray());
                Assert.Equal(1, Volatile.Read(ref handled[i]));
                answered++;
            }
            catch (CoapTimeoutException ex)
            {
                Assert.Equal(5, ex.Transmissions);
                Assert.Contains("POST coap://10.1.0.1:5683/hb", ex.Message);
                timedOut++;
            }
        }

        // Late duplicates still in flight must not reach a handler a second time either.
        network.Flush();
        await network.WaitQuiescentAsync(() => server.Endpoint.IsQuiescent && client.Endpoint.IsQuiescent);
        time.Advance(TimeSpan.FromSeconds(120));
        await network.WaitQuiescentAsync(() => server.Endpoint.IsQuiescent && client.Endpoint.IsQuiescent);

        output.WriteLine($"seed {seed}: {answered} answered, {timedOut} timed out; network dropped {network.Dropped}, duplicated {network.Duplicated}, reordered {network.Reordered}; server saw {server.Metrics[CoapCounter.DuplicatesReceived]} duplicates, client retransmitted {client.Metrics[CoapCounter.Retransmissions]}");
        Assert.All(handled, count => Assert.InRange(count, 0, 1));
        Assert.Equal(Requests, answered + timedOut);
        Assert.True(answered >= Requests * 3 / 4, $"only {answered} of {Requests} answered");
        Assert.Equal(0, client.Endpoint.PendingExchangeCount);
        if (loss > 0)
        {
            Assert.True(network.Dropped > 0 && client.Metrics[CoapCounter.Retransmissions] > 0);
        }

        if (duplicate > 0)
        {
            Assert.True(server.Metrics[CoapCounter.DuplicatesReceived] > 0);
        }
    }
}
