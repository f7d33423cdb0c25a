using EdgeNode.Link.Security;
using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// The hub's coaps endpoint: one UDP socket, many DTLS 1.2 PSK sessions (one per remote endpoint).
/// <list type="bullet">
/// <item>A ClientHello without a valid cookie gets a HelloVerifyRequest (RFC 6347 §4.2.1); with one, a handshake
/// starts on its own thread (at most <see cref="DtlsOptions.MaxConcurrentHandshakes"/> at once).</item>
/// <item>Established sessions are served on the socket loop itself, with no thread per session.</item>
/// <item>An epoch-0 ClientHello with a valid cookie from an endpoint that has a session (the client restarted on
/// the same port) replaces that session.</item>
/// <item>A failed handshake is logged once, with the identity (never the key), and counted in <see cref="Metrics"/>.</item>
/// <item>Sessions idle for <see cref="DtlsOptions.IdleTimeout"/> are closed; <see cref="DropSessions"/> closes an identity's.</item>
/// </list>
/// <see cref="ReceiveAsync"/> yields decrypted CoAP datagrams with <see cref="PeerAddress.Identity"/> = the
/// authenticated PSK identity; <see cref="SendAsync"/> encrypts to that endpoint's session (and drops the datagram,
/// counted, when the session is gone or now belongs to another identity).
/// </summary>
public sealed class DtlsServerTransport : IDatagramTransport
{
    private const int MaxIdentityBytes = 128;

    private readonly Socket _socket;
    private readonly IPskKeyStore _keys;
    private readonly DtlsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BcTlsCrypto _crypto;
    private readonly DtlsVerifier _verifier;
    private readonly int[] _suites;
    private readonly int _sendLimit;
    private readonly ConcurrentDictionary<IPEndPoint, DtlsServerPeer> _peers = new();
    private readonly ConcurrentDictionary<DtlsServerPeer, Task> _handshakes = new();
    private readonly Channel<Inbound> _inbound;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _sweepTimer;
    private readonly Task _receiveLoop;
    private readonly LogBudget _failureLogBudget;
    private readonly LogBudget _refusalLogBudget;
    private int _disposed;

    /// <summary>Binds <paramref name="localEndPoint"/> (port 0: an ephemeral port, see <see cref="LocalEndPoint"/>)
    /// and starts serving handshakes at once.</summary>
    public DtlsServerTransport(IPEndPoint localEndPoint, IPskKeyStore keys, DtlsOptions? options = null,
        TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        ArgumentNullException.ThrowIfNull(keys);
        _options = options ?? new DtlsOptions();
        _options.Validate();
        _keys = keys;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _failureLogBudget = new LogBudget(_time, perWindow: 20, TimeSpan.FromSeconds(10));
        _refusalLogBudget = new LogBudget(_time, perWindow: 5, TimeSpan.FromSeconds(10));
        _suites = _options.CipherSuites.Select(s => (int)s).ToArray();
        _crypto = new BcTlsCrypto(KernelRandomGenerator.CreateSecureRandom());
        _verifier = new DtlsVerifier(_crypto);
        _sendLimit = _options.Mtu - (localEndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? DtlsWireSize.IPv6UdpHeaderBytes : DtlsWireSize.IPv4UdpHeaderBytes);
        _inbound = Channel.CreateBounded<Inbound>(new BoundedChannelOptions(_options.ReceiveQueueCapacity)
        {
            SingleWriter = false,
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait, // never waits: we only TryWrite, and count what does not fit
        });
        Metrics = new DtlsServerMetrics();

        _socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (localEndPoint.AddressFamily == AddressFamily.InterNetworkV6 && localEndPoint.Address.Equals(IPAddress.IPv6Any))
                _socket.DualMode = true;
            _socket.ReceiveBufferSize = 1 << 20;
            _socket.Bind(localEndPoint);
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            Metrics.Dispose();
            throw new IOException($"DTLS server cannot bind {localEndPoint}: {e.SocketErrorCode} ({e.Message})", e);
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;

        var period = TimeSpan.FromTicks(Math.Clamp(_options.IdleTimeout.Ticks / 4, TimeSpan.TicksPerSecond, 30 * TimeSpan.TicksPerSecond));
        _sweepTimer = _time.CreateTimer(static state => ((DtlsServerTransport)state!).SweepIdleSessions(), this, period, period);
        DtlsLog.Listening(_logger, LocalEndPoint, string.Join(", ", _options.CipherSuites), DtlsText.Seconds(_options.HandshakeTimeout));
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public int MaxDatagramSize => _options.MaxDatagramSize;

    public IPEndPoint LocalEndPoint { get; }

    public DtlsServerMetrics Metrics { get; }

    /// <summary>The endpoints and identities with an established session, for diagnostics.</summary>
    public IReadOnlyList<PeerAddress> Sessions =>
        _peers.Values.Where(p => p.Session is not null).Select(p => new PeerAddress(p.EndPoint, p.Identity)).ToArray();

    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var reader = _inbound.Reader;
        while (true)
        {
            if (reader.TryRead(out var item))
            {
                var length = Math.Min(item.Length, buffer.Length);
                item.Buffer.AsSpan(0, length).CopyTo(buffer.Span);
                ArrayPool<byte>.Shared.Return(item.Buffer);
                return new ReceivedDatagram(length, item.Peer);
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
                throw new ObjectDisposedException(nameof(DtlsServerTransport), $"DTLS server transport on {LocalEndPoint} is disposed");
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, PeerAddress peer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (datagram.Length > _options.MaxDatagramSize)
        {
            throw new ArgumentException(
                $"A datagram of {datagram.Length} bytes to {peer} exceeds the DTLS transport's MaxDatagramSize of {_options.MaxDatagramSize} bytes.",
                nameof(datagram));
        }
        cancellationToken.ThrowIfCancellationRequested();

        if (!_peers.TryGetValue(peer.EndPoint, out var target) || target.Session is not { } session
            || (peer.Identity is not null && !string.Equals(peer.Identity, target.Identity, StringComparison.Ordinal)))
        {
            // The session expired, was dropped, or the endpoint now belongs to another identity: never encrypt
            // an answer meant for one device to another.
            Metrics.Drop(DtlsDropReason.SendNoSession);
            DtlsLog.SendNoSession(_logger, peer.ToString());
            return ValueTask.CompletedTask;
        }
        try
        {
            session.Send(datagram.Span);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Metrics.Drop(DtlsDropReason.SessionError);
            FailSession(target, $"send failed: {e.Message}");
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Closes (with close_notify) and forgets every session and handshake of <paramref name="identity"/>, e.g. when the
    /// hub revokes a unit on swap. Remove the key from the store first, so that a new handshake fails.
    /// Returns how many sessions or handshakes were closed.
    /// </summary>
    public int DropSessions(string identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var count = 0;
        foreach (var peer in _peers.Values)
        {
            if (!string.Equals(peer.KnownIdentity, identity, StringComparison.Ordinal))
                continue;
            if (peer.Session is not null)
                Metrics.SessionDropped();
            CloseSession(peer, "identity revoked (sessions dropped)");
            count++;
        }
        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _sweepTimer.DisposeAsync().ConfigureAwait(false);
        _stopping.Cancel();
        foreach (var peer in _peers.Values)
            CloseSession(peer, "server shutting down");
        _socket.Dispose();
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Expected while stopping.
        }
        var handshakes = _handshakes.Values.ToArray();
        try
        {
            await Task.WhenAll(handshakes).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A handshake thread that ignores its closed channel ends with its handshake timeout; don't wait for it.
        }
        _inbound.Writer.TryComplete();
        while (_inbound.Reader.TryRead(out var item))
            ArrayPool<byte>.Shared.Return(item.Buffer);
        _stopping.Dispose();
        Metrics.Dispose();
    }

    /// <summary>Closes sessions that received nothing for <see cref="DtlsOptions.IdleTimeout"/> (runs on a timer).</summary>
    internal int SweepIdleSessions()
    {
        var now = _time.GetTimestamp();
        var closed = 0;
        foreach (var peer in _peers.Values)
        {
            if (peer.Session is null || _time.GetElapsedTime(peer.LastReceiveTimestamp, now) < _options.IdleTimeout)
                continue;
            Metrics.SessionExpired();
            CloseSession(peer, $"idle for more than {DtlsText.Seconds(_options.IdleTimeout)}");
            closed++;
        }
        return closed;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65_536, pinned: true);
        var plaintext = new byte[_options.Mtu];
        EndPoint any = LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused
                or SocketError.MessageSize or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                continue; // ICMP feedback for an earlier send, or an oversized datagram: not fatal for a UDP server.
            }
            catch (SocketException e)
            {
                // Unexpected (e.g. ENOBUFS): keep serving, but do not spin on a persistent error.
                if (token.IsCancellationRequested)
                    return;
                DtlsLog.ReceiveFailed(_logger, LocalEndPoint, e);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }

            var from = (IPEndPoint)received.RemoteEndPoint;
            try
            {
                OnDatagram(buffer, received.ReceivedBytes, from, plaintext);
            }
            catch (Exception e)
            {
                // Nothing a peer sends may stop the loop.
                Metrics.Drop(DtlsDropReason.Malformed);
                DtlsLog.DatagramFailed(_logger, from, e);
            }
        }
    }

    private void OnDatagram(byte[] buffer, int length, IPEndPoint from, byte[] plaintext)
    {
        var datagram = buffer.AsSpan(0, length);
        if (length > _options.Mtu)
        {
            Drop(DtlsDropReason.TooLarge, length, from);
            return;
        }
        if (!DtlsRecords.IsWellFormed(datagram))
        {
            Drop(DtlsDropReason.Malformed, length, from);
            return;
        }

        var isClientHello = DtlsRecords.StartsWithClientHello(datagram);
        if (_peers.TryGetValue(from, out var peer))
        {
            if (peer.Session is { } session)
            {
                if (isClientHello)
                    OnClientHello(datagram, from, peer);
                else
                    PumpEstablished(peer, session, buffer, length, plaintext);
                return;
            }
            // Handshake in progress: BouncyCastle reads it (retransmissions included) on the handshake thread.
            lock (peer.Channel.Gate)
            {
                if (peer.Session is { } established)
                {
                    PumpEstablished(peer, established, buffer, length, plaintext);
                    return;
                }
                if (!peer.Channel.Enqueue(datagram))
                    Drop(DtlsDropReason.NoSession, length, from);
            }
            return;
        }

        if (!isClientHello)
        {
            Drop(DtlsDropReason.NoSession, length, from);
            return;
        }
        OnClientHello(datagram, from, null);
    }

    private void OnClientHello(ReadOnlySpan<byte> datagram, IPEndPoint from, DtlsServerPeer? existing)
    {
        var copy = datagram.ToArray();
        var cookieSender = new CookieSender(this, from);
        DtlsRequest? request;
        try
        {
            request = _verifier.VerifyRequest(ClientId(from), copy, 0, copy.Length, cookieSender);
        }
        catch (Exception)
        {
            // BouncyCastle's parser rejects it in many ways (IOException, TlsFatalAlert, ArgumentException, ...).
            Drop(DtlsDropReason.BadClientHello, copy.Length, from);
            return;
        }
        if (request is null)
        {
            if (cookieSender.Sent)
                Metrics.CookieExchange();
            else
                Drop(DtlsDropReason.BadClientHello, copy.Length, from);
            return;
        }

        var clientRandom = DtlsRecords.TryGetClientRandom(copy, out var random) ? random.ToArray() : [];
        if (existing is not null)
        {
            if (clientRandom.AsSpan().SequenceEqual(existing.ClientRandom))
            {
                // A late copy of the ClientHello that opened the current session: not a restart.
                Drop(DtlsDropReason.NoSession, copy.Length, from);
                return;
            }
            Metrics.SessionReplaced();
            DtlsLog.SessionReplaced(_logger, DtlsText.Printable(existing.Identity), from);
            CloseSession(existing, "replaced by a new handshake from the same endpoint");
        }

        if (_peers.Count >= _options.MaxSessions)
        {
            Refuse(from, DtlsDropReason.SessionLimit, $"session limit of {_options.MaxSessions} reached");
            return;
        }
        if (!Metrics.TryStartHandshake(_options.MaxConcurrentHandshakes))
        {
            Refuse(from, DtlsDropReason.HandshakeLimit, $"{_options.MaxConcurrentHandshakes} handshakes already in progress");
            return;
        }

        var channel = new DtlsDatagramChannel(d => SendDatagram(d, from), _options.Mtu, _sendLimit);
        var lookup = new PskIdentityLookup(_keys, _options.IdentityHint, MaxIdentityBytes);
        var peer = new DtlsServerPeer(from, channel, lookup, clientRandom);
        channel.Closed += () => OnChannelClosed(peer);
        _peers[from] = peer;
        var task = Task.Factory.StartNew(() => RunHandshake(peer, request), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _handshakes[peer] = task;
        _ = task.ContinueWith((_, state) => _handshakes.TryRemove((DtlsServerPeer)state!, out Task? _), peer,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void RunHandshake(DtlsServerPeer peer, DtlsRequest request)
    {
        var started = _time.GetTimestamp();
        var tls = new ServerPskTlsServer(_crypto, peer.Lookup, _suites, (int)_options.HandshakeTimeout.TotalMilliseconds);
        DtlsTransport session;
        try
        {
            session = new DtlsServerProtocol().Accept(tls, peer.Channel, request);
        }
        catch (Exception e)
        {
            Metrics.HandshakeEnded();
            OnHandshakeFailed(peer, tls, e);
            return;
        }

        var identity = DtlsText.TryDecodeIdentity(tls.SecurityParameters.PskIdentity ?? []) ?? "";
        var suite = (DtlsCipherSuite)tls.SecurityParameters.CipherSuite;
        var plaintext = new byte[_options.Mtu];
        var endPoint = peer.EndPoint;
        var address = new PeerAddress(endPoint, identity);
        lock (peer.Channel.Gate)
        {
            Metrics.HandshakeEnded();
            if (peer.Channel.IsClosed || Volatile.Read(ref _disposed) != 0)
            {
                // Dropped (revoked) or shutting down while the handshake ran.
                Metrics.HandshakeFailed(DtlsHandshakeFailure.Canceled);
                TryClose(session);
                return;
            }
            peer.Established(session, identity, suite, (bytes, length) => DeliverInbound(peer, address, bytes, length), _time.GetTimestamp());
            Metrics.HandshakeSucceeded();
            Metrics.SessionOpened();
            foreach (var pending in peer.Channel.SwitchToPump())
                PumpEstablished(peer, session, pending, pending.Length, plaintext);
        }
        DtlsLog.SessionEstablished(_logger, DtlsText.Printable(identity), endPoint, suite,
            (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    private void OnHandshakeFailed(DtlsServerPeer peer, ServerPskTlsServer tls, Exception error)
    {
        var (reason, detail) = peer.CloseReason is not null || Volatile.Read(ref _disposed) != 0
            ? (DtlsHandshakeFailure.Canceled, peer.CloseReason ?? "server shutting down")
            : Classify(tls, error);
        Metrics.HandshakeFailed(reason);
        peer.CloseReason ??= "handshake failed";
        peer.Channel.Close();
        if (reason != DtlsHandshakeFailure.Canceled && _failureLogBudget.TryTake(out var suppressed))
        {
            if (suppressed > 0)
                DtlsLog.LinesSuppressed(_logger, suppressed, "handshake failures");
            DtlsLog.HandshakeFailed(_logger, peer.EndPoint, DtlsText.Printable(peer.Lookup.OfferedIdentity),
                DtlsServerMetrics.ReasonLabel(reason), detail);
        }
    }

    private (DtlsHandshakeFailure Reason, string Detail) Classify(ServerPskTlsServer tls, Exception error)
    {
        if (tls.Lookup.UnknownIdentity)
            return (DtlsHandshakeFailure.UnknownIdentity, "no key for this identity (unknown or revoked); sent unknown_psk_identity");
        if (error is TlsTimeoutException || (tls.AlertReceived is null && tls.AlertRaised is null && error is IOException && IsTimeout(error)))
        {
            return (DtlsHandshakeFailure.Timeout, tls.Lookup.OfferedIdentity is null
                ? $"no complete handshake within {DtlsText.Seconds(_options.HandshakeTimeout)}"
                : $"no valid Finished from the client within {DtlsText.Seconds(_options.HandshakeTimeout)} (wrong key?)");
        }
        if (tls.AlertReceived is { } received)
            return (DtlsHandshakeFailure.AlertReceived, $"client sent alert {AlertDescription.GetText(received)}");
        if (tls.AlertRaised is { } raised)
            return (DtlsHandshakeFailure.ProtocolError, $"sent alert {AlertDescription.GetText(raised)}: {error.Message}");
        return (DtlsHandshakeFailure.ProtocolError, error.Message);
    }

    private static bool IsTimeout(Exception error) =>
        error.Message.Contains("timed out", StringComparison.OrdinalIgnoreCase) || error.InnerException is TlsTimeoutException;

    private void PumpEstablished(DtlsServerPeer peer, DtlsTransport session, byte[] datagram, int length, byte[] plaintext)
    {
        try
        {
            peer.Channel.Pump(session, datagram, length, plaintext, peer.Deliver!.Invoke);
        }
        catch (Exception e)
        {
            Metrics.Drop(DtlsDropReason.SessionError);
            FailSession(peer, e is TlsFatalAlert alert
                ? $"fatal alert {AlertDescription.GetText(alert.AlertDescription)}"
                : e.Message);
        }
    }

    private void DeliverInbound(DtlsServerPeer peer, PeerAddress address, byte[] plaintext, int length)
    {
        peer.Touch(_time.GetTimestamp());
        var copy = ArrayPool<byte>.Shared.Rent(length);
        plaintext.AsSpan(0, length).CopyTo(copy);
        if (!_inbound.Writer.TryWrite(new Inbound(copy, length, address)))
        {
            ArrayPool<byte>.Shared.Return(copy);
            Metrics.Drop(DtlsDropReason.ReceiveQueueFull);
        }
    }

    private void FailSession(DtlsServerPeer peer, string detail)
    {
        if (peer.CloseReason is null)
            DtlsLog.SessionFailed(_logger, DtlsText.Printable(peer.KnownIdentity), peer.EndPoint, detail);
        CloseSession(peer, $"failed: {detail}");
    }

    /// <summary>Closes a session (close_notify when established) or aborts its handshake; idempotent.</summary>
    private void CloseSession(DtlsServerPeer peer, string reason)
    {
        lock (peer.Channel.Gate)
        {
            peer.CloseReason ??= reason;
            if (peer.Session is { } session)
                TryClose(session);
            peer.Channel.Close();
        }
    }

    private static void TryClose(DtlsTransport session)
    {
        try
        {
            session.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer is gone anyway.
        }
    }

    private void OnChannelClosed(DtlsServerPeer peer)
    {
        _peers.TryRemove(new KeyValuePair<IPEndPoint, DtlsServerPeer>(peer.EndPoint, peer));
        if (!peer.MarkClosed() || peer.Session is null)
            return;
        Metrics.SessionClosed();
        DtlsLog.SessionClosed(_logger, DtlsText.Printable(peer.Identity), peer.EndPoint,
            peer.CloseReason ?? "closed by the client (close_notify or fatal alert)");
    }

    private void Refuse(IPEndPoint from, DtlsDropReason reason, string why)
    {
        Metrics.Drop(reason);
        if (!_refusalLogBudget.TryTake(out var suppressed))
            return;
        if (suppressed > 0)
            DtlsLog.LinesSuppressed(_logger, suppressed, "refused handshakes");
        DtlsLog.HandshakeRefused(_logger, from, why);
    }

    private void Drop(DtlsDropReason reason, int length, IPEndPoint from)
    {
        Metrics.Drop(reason);
        DtlsLog.DatagramDropped(_logger, length, from, DtlsServerMetrics.ReasonLabel(reason));
    }

    private void SendDatagram(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            // UDP: a send error is a lost datagram; DTLS retransmits handshakes and CoAP retransmits messages.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    /// <summary>The cookie binds the ClientHello to the client's address and port (RFC 6347 §4.2.1).</summary>
    private static byte[] ClientId(IPEndPoint endPoint)
    {
        var address = endPoint.Address.GetAddressBytes();
        var id = new byte[address.Length + 2];
        address.CopyTo(id, 0);
        id[^2] = (byte)(endPoint.Port >> 8);
        id[^1] = (byte)endPoint.Port;
        return id;
    }

    private readonly record struct Inbound(byte[] Buffer, int Length, PeerAddress Peer);

    /// <summary>Sends the HelloVerifyRequest for <see cref="DtlsVerifier"/>.</summary>
    private sealed class CookieSender(DtlsServerTransport owner, IPEndPoint to) : DatagramSender
    {
        public bool Sent { get; private set; }

        public int GetSendLimit() => owner._sendLimit;

        public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

        public void Send(ReadOnlySpan<byte> buffer)
        {
            Sent = true;
            owner.SendDatagram(buffer, to);
        }
    }
}
