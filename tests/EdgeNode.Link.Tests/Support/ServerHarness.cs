using System.Net;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Link.Tests.Support;

/// <summary>
/// A <see cref="CoapServer"/> over a <see cref="ChannelTransport"/> with fake time, whose handlers count what
/// they were given. Tests push datagrams straight into the endpoint's process function.
/// </summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    public static readonly PeerAddress Peer = new(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000));

    private int delivered;

    public ServerHarness(CoapEndpointOptions? options = null, CoapRequestHandler? handler = null)
    {
        Transport = new ChannelTransport(new IPEndPoint(IPAddress.Loopback, 5683));
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        Server = new CoapServer(Transport, options, Time, logger: null, random: new Random(1));
        handler ??= (request, _) => ValueTask.FromResult(CoapResponse.Changed(request.Payload));
        CoapRequestHandler counting = (request, ct) =>
        {
            Interlocked.Increment(ref delivered);
            if (KeepRequests)
            {
                lock (Requests)
                {
                    Requests.Add(request);
                }
            }

            return handler(request, ct);
        };
        Server.Map(CoapMethod.Post, "hb", counting);
        Server.Map(CoapMethod.Get, "hb", counting);
        Server.Map(CoapMethod.Post, "st", counting);
        Server.Map(CoapMethod.Get, "ds", counting);
    }

    public ChannelTransport Transport { get; }

    public FakeTimeProvider Time { get; }

    public CoapServer Server { get; }

    public List<CoapRequest> Requests { get; } = [];

    /// <summary>Keep every delivered request in <see cref="Requests"/> (switch off for millions of datagrams).</summary>
    public bool KeepRequests { get; set; } = true;

    public int Delivered => Volatile.Read(ref delivered);

    /// <summary>
    /// Waits until the server is parked (handlers, separate-response delays and CON retransmissions waiting on a
    /// datagram or an armed timer) and its transport idle, see <see cref="Quiescence"/>: the only safe moment to
    /// advance <see cref="Time"/> or to assert that nothing was sent.
    /// </summary>
    public Task WaitQuiescentAsync() => Quiescence.WaitAsync(() => Server.Endpoint.IsQuiescent, Transport);

    /// <summary>Advances the fake clock at a quiescent moment, then waits until everything it set off has settled.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await WaitQuiescentAsync();
        Time.Advance(by);
        await WaitQuiescentAsync();
    }

    /// <summary>Processes one datagram; returns the immediate answer, or the response a handler sent inline.</summary>
    public byte[]? Process(byte[] datagram, PeerAddress? peer = null)
    {
        var answer = Server.Endpoint.Process(datagram, peer ?? Peer);
        if (answer is not null)
        {
            return answer;
        }

        return Transport.TryTakeSent(out var sent) ? sent.Data : null;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
