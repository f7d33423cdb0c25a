using System.Net;
using System.Net.Sockets;

namespace EdgeNode.Link.Transport;

/// <summary>
/// Plain UDP (coap://, port 5683 by convention; dev only). Binds to any <see cref="IPEndPoint"/>, including port 0
/// (see <see cref="LocalEndPoint"/> for the port chosen). An IPv6-any socket is dual-mode; IPv4-mapped sender
/// addresses are reported as IPv4.
/// </summary>
public sealed class UdpTransport : IDatagramTransport
{
    /// <summary>RFC 7252 §4.6: 1152 bytes of message fit an IPv6 minimum MTU with room to spare.</summary>
    public const int DefaultMaxDatagramSize = 1152;

    private readonly Socket socket;
    private int disposed;

    /// <param name="bind">Local address and port (port 0 picks one).</param>
    /// <param name="maxDatagramSize">Largest CoAP message per datagram (block-wise above it).</param>
    /// <param name="receiveBufferBytes">Kernel receive buffer (SO_RCVBUF) to ask for; the kernel caps it at
    /// net.core.rmem_max. A server under a burst of heartbeats drops datagrams when the default 208 KiB fills
    /// while its receive loop is not scheduled. 0 keeps the kernel default.</param>
    public UdpTransport(IPEndPoint bind, int maxDatagramSize = DefaultMaxDatagramSize, int receiveBufferBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, 64);
        socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (bind.AddressFamily == AddressFamily.InterNetworkV6 && bind.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            if (receiveBufferBytes > 0)
            {
                socket.ReceiveBufferSize = receiveBufferBytes;
            }

            socket.Bind(bind);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new IOException($"Cannot bind UDP {bind}: {ex.SocketErrorCode} ({ex.Message})", ex);
        }

        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        MaxDatagramSize = maxDatagramSize;
    }

    public int MaxDatagramSize { get; }

    public IPEndPoint LocalEndPoint { get; }

    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            try
            {
                var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                var remote = (IPEndPoint)result.RemoteEndPoint;
                if (remote.Address.IsIPv4MappedToIPv6)
                {
                    remote = new IPEndPoint(remote.Address.MapToIPv4(), remote.Port);
                }

                return new ReceivedDatagram(result.ReceivedBytes, new PeerAddress(remote));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                // ICMP port unreachable from an earlier send, or an oversized datagram: not fatal for a datagram socket.
            }
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, PeerAddress peer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var target = peer.EndPoint;
        if (socket.AddressFamily == AddressFamily.InterNetworkV6 && target.AddressFamily == AddressFamily.InterNetwork)
        {
            target = new IPEndPoint(target.Address.MapToIPv6(), target.Port);
        }

        await socket.SendToAsync(datagram, SocketFlags.None, target, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"udp://{LocalEndPoint}";
}
