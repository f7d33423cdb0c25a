using System.Net;

namespace EdgeNode.Link.Transport;

/// <summary>
/// A datagram pipe under the CoAP message layer: plain UDP, DTLS-PSK (server: many peers, client: one),
/// or a test transport that drops, duplicates and reorders. Implementations never throw for a bad
/// datagram from the network; they drop it and count it. They throw only for misuse or disposal.
/// </summary>
public interface IDatagramTransport : IAsyncDisposable
{
    /// <summary>The largest CoAP message this transport carries in one datagram (block-wise above it).</summary>
    int MaxDatagramSize { get; }

    IPEndPoint LocalEndPoint { get; }

    /// <summary>Waits for the next datagram, copies it into <paramref name="buffer"/> and says who sent it.
    /// A datagram longer than the buffer is truncated to the buffer's length.</summary>
    ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, PeerAddress peer, CancellationToken cancellationToken);
}
