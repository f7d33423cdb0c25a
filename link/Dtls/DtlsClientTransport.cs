using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Tls;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// The agent's coaps pipe: one connected UDP socket and one DTLS 1.2 PSK session with the hub.
/// Create it with <see cref="ConnectAsync(IPEndPoint, string, ReadOnlyMemory{byte}, DtlsOptions?, CancellationToken)"/>; a wrong key
/// or unknown identity fails with a <see cref="DtlsHandshakeException"/> within <see cref="DtlsOptions.HandshakeTimeout"/>.
/// Once the server closes the session (close_notify, e.g. after revoking the identity) <see cref="ReceiveAsync"/>
/// and <see cref="SendAsync"/> throw <see cref="DtlsSessionClosedException"/>: connect again.
/// Received datagrams carry <c>PeerAddress(RemoteEndPoint)</c> with a null identity (the peer is the server).
/// </summary>
public sealed class DtlsClientTransport : IDatagramTransport
{
    private readonly Socket _socket;
    private readonly DtlsDatagramChannel _channel;
    private readonly CopyingPskIdentity _psk;
    private readonly DtlsOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _inbound;
    private readonly CancellationTokenSource _stopping = new();
    private readonly PeerAddress _serverAddress;
    private readonly Task _receiveLoop;
    private DtlsTransport? _session;
    private volatile string? _closedReason;
    private volatile bool _unreachable;
    private long _datagramsReceived;
    private int _disposed;

    private DtlsClientTransport(Socket socket, IPEndPoint server, string identity, CopyingPskIdentity psk, DtlsOptions options, ILogger logger)
    {
        _socket = socket;
        _psk = psk;
        _options = options;
        _logger = logger;
        RemoteEndPoint = server;
        Identity = identity;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _serverAddress = new PeerAddress(server);
        var sendLimit = options.Mtu - (server.AddressFamily == AddressFamily.InterNetworkV6
            ? DtlsWireSize.IPv6UdpHeaderBytes : DtlsWireSize.IPv4UdpHeaderBytes);
        _channel = new DtlsDatagramChannel(SendDatagram, options.Mtu, sendLimit);
        _channel.Closed += OnChannelClosed;
        _inbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.ReceiveQueueCapacity)
        {
            SingleReader = false,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public int MaxDatagramSize => _options.MaxDatagramSize;

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>The PSK identity this client authenticated with.</summary>
    public string Identity { get; }

    /// <summary>The negotiated cipher suite.</summary>
    public DtlsCipherSuite CipherSuite { get; private set; }

    /// <summary>True when the handshake resumed <see cref="DtlsClientSession"/> instead of a full PSK exchange.</summary>
    public bool IsResumed { get; private set; }

    /// <summary>A handle to resume this session in a later <c>ConnectAsync</c> (null when the server offered none).</summary>
    public DtlsClientSession? ResumableSession { get; private set; }

    /// <summary>False once the session is closed (by either side) or failed.</summary>
    public bool IsConnected => _closedReason is null && Volatile.Read(ref _disposed) == 0;

    /// <summary>Handshakes with <paramref name="server"/> as <paramref name="identity"/> using <paramref name="key"/>.</summary>
    /// <exception cref="DtlsHandshakeException">Wrong key, unknown identity, no server, no shared cipher suite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public static Task<DtlsClientTransport> ConnectAsync(IPEndPoint server, string identity, ReadOnlyMemory<byte> key,
        DtlsOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(server, identity, key, options, resume: null, logger: null, cancellationToken);

    /// <inheritdoc cref="ConnectAsync(IPEndPoint, string, ReadOnlyMemory{byte}, DtlsOptions?, CancellationToken)"/>
    /// <param name="resume">A session of an earlier connection to the same server to resume (abbreviated handshake);
    /// the server may decline, and a full handshake follows.</param>
    /// <param name="logger">Logs the connection and its end.</param>
    public static async Task<DtlsClientTransport> ConnectAsync(IPEndPoint server, string identity, ReadOnlyMemory<byte> key,
        DtlsOptions? options, DtlsClientSession? resume, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(identity);
        if (key.IsEmpty)
            throw new ArgumentException($"The PSK of identity '{DtlsText.Printable(identity)}' is empty.", nameof(key));
        options ??= new DtlsOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        cancellationToken.ThrowIfCancellationRequested();

        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(options.LocalEndPoint ?? new IPEndPoint(
                server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            socket.Connect(server);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new DtlsHandshakeException(server, identity, DtlsHandshakeFailure.Unreachable,
                $"cannot open a UDP socket{(options.LocalEndPoint is null ? "" : $" on {options.LocalEndPoint}")}: {e.SocketErrorCode} ({e.Message})", e);
        }

        var psk = new CopyingPskIdentity(identity, key.Span);
        var transport = new DtlsClientTransport(socket, server, identity, psk, options, logger);
        await transport.HandshakeAsync(resume, cancellationToken).ConfigureAwait(false);
        return transport;
    }

    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var reader = _inbound.Reader;
        while (true)
        {
            if (reader.TryRead(out var datagram))
            {
                var length = Math.Min(datagram.Length, buffer.Length);
                datagram.AsSpan(0, length).CopyTo(buffer.Span);
                return new ReceivedDatagram(length, _serverAddress);
            }
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                more = false;
            }
            if (!more)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                throw Closed();
            }
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, PeerAddress peer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!peer.EndPoint.Equals(RemoteEndPoint))
            throw new ArgumentException($"This DTLS client is connected to {RemoteEndPoint}, not to {peer.EndPoint}.", nameof(peer));
        if (datagram.Length > _options.MaxDatagramSize)
        {
            throw new ArgumentException(
                $"A datagram of {datagram.Length} bytes exceeds the DTLS transport's MaxDatagramSize of {_options.MaxDatagramSize} bytes.",
                nameof(datagram));
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (_closedReason is not null || _session is not { } session)
            throw Closed();
        try
        {
            session.Send(datagram.Span);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Close($"send failed: {e.Message}");
            throw new DtlsSessionClosedException(RemoteEndPoint, Identity, _closedReason ?? "send failed", e);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends close_notify, then releases the socket and clears the key.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Close("closed by this client");
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>Test hook: drop everything without a close_notify, as a crashed or power-cut unit does.</summary>
    internal async ValueTask AbandonAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _closedReason ??= "abandoned";
        _channel.Closed -= OnChannelClosed;
        _socket.Dispose();
        _channel.Close();
        await StopAsync().ConfigureAwait(false);
    }

    private async ValueTask StopAsync()
    {
        _stopping.Cancel();
        _socket.Dispose();
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Expected while stopping.
        }
        _inbound.Writer.TryComplete();
        _psk.Dispose();
        _stopping.Dispose();
    }

    private async Task HandshakeAsync(DtlsClientSession? resume, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var crypto = new PskClientCrypto();
        var suites = _options.CipherSuites.Select(s => (int)s).ToArray();
        // A session is only ever offered to the server that issued it.
        var toResume = resume is not null && resume.Server.Equals(RemoteEndPoint) ? resume.Session : null;
        var client = new ClientPskTlsClient(crypto, _psk, suites, (int)_options.HandshakeTimeout.TotalMilliseconds, toResume);
        var canceled = false;
        DtlsTransport session;
        using (cancellationToken.Register(() =>
               {
                   canceled = true;
                   _channel.Close();
               }))
        {
            try
            {
                session = await Task.Factory.StartNew(() => new DtlsClientProtocol().Connect(client, _channel),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await AbandonAsync().ConfigureAwait(false);
                if (canceled)
                    throw new OperationCanceledException($"DTLS handshake with {RemoteEndPoint} as '{DtlsText.Printable(Identity)}' canceled", e, cancellationToken);
                var failure = HandshakeFailure(client, e);
                DtlsLog.ClientHandshakeFailed(_logger, failure.Message);
                throw failure;
            }
        }

        CipherSuite = (DtlsCipherSuite)client.SecurityParameters.CipherSuite;
        IsResumed = client.SecurityParameters.IsResumedSession;
        ResumableSession = client.Session is { IsResumable: true } tlsSession ? new DtlsClientSession(tlsSession, RemoteEndPoint) : null;
        var canceledAtTheEnd = false;
        lock (_channel.Gate)
        {
            if (_channel.IsClosed)
            {
                canceledAtTheEnd = true;
            }
            else
            {
                _session = session;
                var plaintext = new byte[_options.Mtu];
                foreach (var pending in _channel.SwitchToPump())
                    Pump(session, pending, pending.Length, plaintext);
            }
        }
        if (canceledAtTheEnd)
        {
            // Canceled just as the handshake finished: say goodbye, release the socket, report the cancellation.
            try
            {
                session.Close();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // Closed channel.
            }
            await AbandonAsync().ConfigureAwait(false);
            throw new OperationCanceledException($"DTLS handshake with {RemoteEndPoint} as '{DtlsText.Printable(Identity)}' canceled", cancellationToken);
        }
        DtlsLog.ClientConnected(_logger, RemoteEndPoint, DtlsText.Printable(Identity), CipherSuite,
            IsResumed ? "resumed" : "full handshake", (long)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    }

    private DtlsHandshakeException HandshakeFailure(ClientPskTlsClient client, Exception error)
    {
        var timeout = DtlsText.Seconds(_options.HandshakeTimeout);
        if (client.AlertReceived == AlertDescription.unknown_psk_identity)
            return new(RemoteEndPoint, Identity, DtlsHandshakeFailure.UnknownIdentity, "the server does not know this identity (alert unknown_psk_identity)", error);
        if (client.AlertReceived is { } received)
        {
            var wrongKey = received is AlertDescription.decrypt_error or AlertDescription.bad_record_mac
                or AlertDescription.handshake_failure or AlertDescription.illegal_parameter;
            return new(RemoteEndPoint, Identity, DtlsHandshakeFailure.AlertReceived,
                $"the server sent alert {AlertDescription.GetText(received)}{(wrongKey ? " (wrong key or unknown identity?)" : "")}", error);
        }
        if (_unreachable && Interlocked.Read(ref _datagramsReceived) == 0)
            return new(RemoteEndPoint, Identity, DtlsHandshakeFailure.Unreachable, "nothing listens there (ICMP port unreachable)", error);
        if (client.AlertRaised is { } raised && raised != AlertDescription.internal_error)
            return new(RemoteEndPoint, Identity, DtlsHandshakeFailure.ProtocolError, $"we sent alert {AlertDescription.GetText(raised)}: {error.Message}", error);
        if (Interlocked.Read(ref _datagramsReceived) == 0)
            return new(RemoteEndPoint, Identity, DtlsHandshakeFailure.Timeout, $"no answer within {timeout} (is a DTLS server listening there?)", error);
        return new(RemoteEndPoint, Identity, DtlsHandshakeFailure.Timeout,
            $"the handshake did not complete within {timeout} (wrong key or unknown identity?)", error);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65_536, pinned: true);
        var plaintext = new byte[_options.Mtu];
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                // ICMP port unreachable for an earlier send. Before any answer: nothing listens there, fail the
                // handshake now instead of after the whole timeout. Later: keep listening (the server may restart).
                _unreachable = true;
                if (_session is null && Interlocked.Read(ref _datagramsReceived) == 0)
                    _channel.Close();
                continue;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                continue;
            }
            catch (SocketException e)
            {
                Close($"socket failed: {e.SocketErrorCode}");
                return;
            }

            if (length > _options.Mtu || !DtlsRecords.IsWellFormed(buffer.AsSpan(0, length)))
                continue; // Not DTLS: a connected socket only hears the server's port, but a middlebox may mangle.
            Interlocked.Increment(ref _datagramsReceived);
            lock (_channel.Gate)
            {
                if (_session is { } session)
                    Pump(session, buffer, length, plaintext);
                else
                    _channel.Enqueue(buffer.AsSpan(0, length));
            }
        }
    }

    private void Pump(DtlsTransport session, byte[] datagram, int length, byte[] plaintext)
    {
        try
        {
            _channel.Pump(session, datagram, length, plaintext, Deliver);
        }
        catch (Exception e)
        {
            Close(e is TlsFatalAlert alert ? $"fatal alert {AlertDescription.GetText(alert.AlertDescription)}" : $"failed: {e.Message}");
        }
    }

    private void Deliver(byte[] plaintext, int length) => _inbound.Writer.TryWrite(plaintext.AsSpan(0, length).ToArray());

    private void SendDatagram(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket.Send(datagram, SocketFlags.None);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            _unreachable = true;
        }
        catch (SocketException)
        {
            // A lost datagram: DTLS and CoAP retransmit.
        }
        catch (ObjectDisposedException)
        {
            // Closing.
        }
    }

    private void Close(string reason)
    {
        lock (_channel.Gate)
        {
            _closedReason ??= reason;
            if (_session is { } session)
            {
                try
                {
                    session.Close(); // close_notify, then BouncyCastle closes the channel
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
                {
                    // Gone anyway.
                }
            }
            _channel.Close();
        }
    }

    private void OnChannelClosed()
    {
        var byServer = _closedReason is null;
        _closedReason ??= "closed by the server (close_notify or fatal alert)";
        _inbound.Writer.TryComplete();
        if (_session is not null && (byServer || Volatile.Read(ref _disposed) == 0))
            DtlsLog.ClientSessionClosed(_logger, RemoteEndPoint, DtlsText.Printable(Identity), _closedReason);
    }

    private DtlsSessionClosedException Closed() =>
        new(RemoteEndPoint, Identity, _closedReason ?? "not connected");
}
