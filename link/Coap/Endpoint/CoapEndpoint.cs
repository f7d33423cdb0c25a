using System.Net;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Link.Coap.Endpoint;

/// <summary>
/// The CoAP message layer (RFC 7252 §4) over one <see cref="IDatagramTransport"/>: parsing and rejection of bad
/// datagrams (§4.2), deduplication by (peer, message id) (§4.5), retransmission of Confirmable messages with
/// exponential back-off (§4.2, §4.8), matching of ACK/RST by message id and of responses by token (§5.3.2),
/// piggybacked and separate responses (§5.2), NSTART per peer (§4.7). The layer above (routing, block-wise)
/// is an <see cref="ICoapRequestDispatcher"/> on a server, and <see cref="RequestAsync"/> on a client.
/// Nothing thrown while processing a datagram escapes the receive loop.
/// </summary>
internal sealed class CoapEndpoint : IAsyncDisposable
{
    private readonly IDatagramTransport transport;
    private readonly CoapEndpointOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Random random;
    private readonly bool cryptoTokens;
    private readonly ICoapRequestDispatcher? dispatcher;
    private readonly object sync = new();
    private readonly DeduplicationCache dedup;
    private readonly Dictionary<(IPEndPoint EndPoint, ushort MessageId), Exchange> confirmables = [];
    private readonly Dictionary<(IPEndPoint EndPoint, TokenKey Token), Exchange> exchanges = [];
    private readonly Dictionary<IPEndPoint, SemaphoreSlim> gates = [];
    private readonly HashSet<Task> running = [];
    private readonly List<(Task Awaited, Task Timer)> parked = [];
    private int requestsInFlight;
    private readonly CancellationTokenSource stopping = new();
    private int messageId;
    private Task? receiveLoop;
    private int disposed;

    public CoapEndpoint(IDatagramTransport transport, CoapEndpointOptions? options, TimeProvider? time, ILogger? logger, ICoapRequestDispatcher? dispatcher, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        this.options = options ?? CoapEndpointOptions.Default;
        this.options.Validate();
        this.transport = transport;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        this.dispatcher = dispatcher;
        this.random = random ?? new Random();
        cryptoTokens = random is null;
        dedup = new DeduplicationCache(this.options.MaxDeduplicationEntries);
        messageId = this.random.Next(0, ushort.MaxValue + 1);
    }

    public CoapEndpointMetrics Metrics { get; } = new();

    public CoapEndpointOptions Options => options;

    public IDatagramTransport Transport => transport;

    public TimeProvider Time => time;

    public CancellationToken Stopping => stopping.Token;

    /// <summary>Remembered (peer, message id) pairs (bounded by <see cref="CoapEndpointOptions.MaxDeduplicationEntries"/>).</summary>
    public int DeduplicationCount
    {
        get
        {
            lock (sync)
            {
                return dedup.Count;
            }
        }
    }

    /// <summary>Outstanding exchanges (for tests: they must all go away).</summary>
    public int PendingExchangeCount
    {
        get
        {
            lock (sync)
            {
                return exchanges.Count + confirmables.Count;
            }
        }
    }

    /// <summary>Client requests past the NSTART gate that have not finished yet.</summary>
    internal int RequestsInFlight => Volatile.Read(ref requestsInFlight);

    /// <summary>
    /// True when every operation in progress (client requests, server handlers and separate responses) is parked
    /// on something outside this endpoint: a datagram to arrive or a timer of <see cref="Time"/> to fire, with the
    /// timer already armed. Nothing changes until a datagram is received or the clock moves. A continuation that
    /// is queued on the thread pool (the awaited message already arrived, the code has not resumed yet) is not
    /// quiescent. For tests that step a fake clock: stepping only when quiescent is deterministic.
    /// </summary>
    internal bool IsQuiescent
    {
        get
        {
            lock (sync)
            {
                int busy = requestsInFlight;
                foreach (var task in running)
                {
                    if (!task.IsCompleted)
                    {
                        busy++;
                    }
                }

                int waiting = 0;
                foreach (var (awaited, timer) in parked)
                {
                    if (!awaited.IsCompleted && !timer.IsCompleted)
                    {
                        waiting++;
                    }
                }

                return waiting == busy;
            }
        }
    }

    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        lock (sync)
        {
            receiveLoop ??= Task.Run(() => ReceiveLoopAsync(stopping.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        Task? loop;
        Task[] tasks;
        lock (sync)
        {
            loop = receiveLoop;
            tasks = [.. running];
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await Task.WhenAll(tasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (sync)
        {
            foreach (var exchange in exchanges.Values)
            {
                exchange.Response?.TrySetCanceled();
            }

            foreach (var gate in gates.Values)
            {
                gate.Dispose();
            }

            gates.Clear();
        }

        stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[options.MaxMessageSize + 1];
        while (!ct.IsCancellationRequested)
        {
            ReceivedDatagram datagram;
            try
            {
                datagram = await transport.ReceiveAsync(buffer, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (Exception ex)
            {
                Metrics.Increment(CoapCounter.TransportErrors);
                CoapLog.ReceiveFailed(logger, ex, SafeLocalEndPoint());
                await Task.Yield();
                continue;
            }

            await ProcessDatagramAsync(buffer.AsMemory(0, Math.Min(datagram.Length, buffer.Length)), datagram.Peer, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Handles one received datagram and sends the immediate answer, if any. Never throws.</summary>
    internal async ValueTask ProcessDatagramAsync(ReadOnlyMemory<byte> datagram, PeerAddress peer, CancellationToken ct)
    {
        byte[]? answer;
        try
        {
            answer = Process(datagram.Span, peer);
        }
        catch (Exception ex)
        {
            CoapLog.ProcessingFailed(logger, ex, SafeLocalEndPoint(), peer);
            return;
        }

        if (answer is not null)
        {
            await SendAsync(answer, peer, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The synchronous core: parses and reacts to one datagram. Returns the datagram to send back at once
    /// (RST, ACK, a cached answer to a duplicate, 4.02), or null. Requests go to the dispatcher in the background.
    /// </summary>
    internal byte[]? Process(ReadOnlySpan<byte> datagram, PeerAddress peer)
    {
        Metrics.Increment(CoapCounter.DatagramsReceived);
        if (datagram.Length > options.MaxMessageSize)
        {
            return RejectMalformed(CoapFormatError.MessageTooLarge, datagram, peer);
        }

        var error = CoapMessageReader.Parse(datagram, out var view);
        if (error != CoapFormatError.None)
        {
            return RejectMalformed(error, datagram, peer);
        }

        if (view.Code.IsEmpty)
        {
            return OnEmpty(view, peer);
        }

        return view.Code.IsRequest ? OnRequest(view, peer) : OnResponse(view, peer);
    }

    private byte[]? RejectMalformed(CoapFormatError error, ReadOnlySpan<byte> datagram, PeerAddress peer)
    {
        Metrics.Increment(CoapEndpointMetrics.ForReason(error));

        // §3: unknown version → silently ignore. §4.2/§4.3: a malformed CON is rejected with RST, anything else is
        // silently dropped. The header (and so the message id) must be there to answer at all.
        bool canReset = datagram.Length >= CoapMessageReader.HeaderLength
            && error != CoapFormatError.UnsupportedVersion
            && (CoapMessageType)((datagram[0] & CoapMessageReader.TypeMask) >> CoapMessageReader.TypeShift) == CoapMessageType.Confirmable;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            CoapLog.Malformed(logger, peer, error, datagram.Length, canReset ? "RST" : "dropped");
        }

        if (!canReset)
        {
            return null;
        }

        Metrics.Increment(CoapCounter.ResetsSent);
        return EmptyMessage(CoapMessageType.Reset, (ushort)((datagram[2] << 8) | datagram[3]));
    }

    private byte[]? OnEmpty(in CoapMessageView view, PeerAddress peer)
    {
        switch (view.Type)
        {
            case CoapMessageType.Confirmable:
                // §4.3 "CoAP ping": a CON Empty is answered with RST.
                Metrics.Increment(CoapCounter.PingsAnswered);
                Metrics.Increment(CoapCounter.ResetsSent);
                return EmptyMessage(CoapMessageType.Reset, view.MessageId);
            case CoapMessageType.Acknowledgement:
                lock (sync)
                {
                    if (confirmables.Remove((peer.EndPoint, view.MessageId), out var exchange))
                    {
                        exchange.Acknowledged.TrySetResult();
                        return null;
                    }
                }

                Unmatched("empty ACK", peer, view.MessageId, "ignored");
                return null;
            default:
                Metrics.Increment(CoapCounter.ResetsReceived);
                Exchange? reset = null;
                lock (sync)
                {
                    if (confirmables.Remove((peer.EndPoint, view.MessageId), out reset) && reset.Token is { } token)
                    {
                        exchanges.Remove((peer.EndPoint, token));
                    }
                }

                if (reset is null)
                {
                    Unmatched("RST", peer, view.MessageId, "ignored");
                    return null;
                }

                reset.Reset($"{peer} answered message id {view.MessageId} with a Reset (RST)");
                return null;
        }
    }

    private byte[]? OnRequest(in CoapMessageView view, PeerAddress peer)
    {
        Metrics.Increment(CoapCounter.RequestsReceived);
        if (dispatcher is null)
        {
            // A client endpoint serves nothing: reject a CON request, ignore a NON one.
            Unmatched("request", peer, view.MessageId, view.Type == CoapMessageType.Confirmable ? "RST" : "ignored");
            return view.Type == CoapMessageType.Confirmable ? Reset(view.MessageId) : null;
        }

        long now = time.GetTimestamp();
        DeduplicationCache.Entry entry;
        lock (sync)
        {
            if (dedup.TryGet(peer, view.MessageId, now, out entry))
            {
                Metrics.Increment(CoapCounter.DuplicatesReceived);
                if (entry.Answer is not null)
                {
                    return entry.Answer;
                }

                return entry.EmptyAckSent && view.Type == CoapMessageType.Confirmable
                    ? EmptyMessage(CoapMessageType.Acknowledgement, view.MessageId)
                    : null;
            }

            var lifetime = view.Type == CoapMessageType.Confirmable ? options.ExchangeLifetime : options.NonLifetime;
            int evicted = dedup.Add(peer, view.MessageId, now + ToTimestamp(lifetime), now, out entry);
            for (int i = 0; i < evicted; i++)
            {
                Metrics.Increment(CoapCounter.DeduplicationEvictions);
            }
        }

        var request = CoapMessage.FromView(view);
        var bad = CoapOptionRules.FindBadCriticalOption(request);
        if (bad is not null || request.HasOption(CoapOptionNumber.ProxyUri) || request.HasOption(CoapOptionNumber.ProxyScheme))
        {
            var code = bad is not null ? CoapCode.BadOption : CoapCode.ProxyingNotSupported;
            string reason = bad is not null ? $"unrecognized or invalid critical option {bad}" : "this endpoint is not a proxy";
            if (bad is not null)
            {
                Metrics.Increment(CoapCounter.BadOptionRejected);
            }

            CoapLog.Rejected(logger, request.Code.ToString(), string.Join('/', request.GetStringOptions(CoapOptionNumber.UriPath)), peer, code.ToString(), reason);
            var response = new CoapMessage { Code = code, Payload = System.Text.Encoding.UTF8.GetBytes(reason) };
            byte[] answer = FinishResponse(request, response, separate: false);
            lock (sync)
            {
                entry.Answer = answer;
            }

            return answer;
        }

        Track(HandleRequestAsync(request, peer, entry));
        return null;
    }

    private async Task HandleRequestAsync(CoapMessage request, PeerAddress peer, DeduplicationCache.Entry entry)
    {
        var ct = stopping.Token;
        try
        {
            bool separate = false;
            CoapMessage response;
            var work = Dispatch(request, peer, ct);
            if (!work.IsCompleted && request.Type == CoapMessageType.Confirmable)
            {
                var task = work.AsTask();
                using (var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    var delay = Task.Delay(options.SeparateResponseDelay, time, delayCancel.Token);
                    if (await WhenAnyParkedAsync(task, delay).ConfigureAwait(false) != task && !ct.IsCancellationRequested)
                    {
                        // §5.2.2: acknowledge now, answer later in a CON of its own.
                        separate = true;
                        lock (sync)
                        {
                            entry.EmptyAckSent = true;
                        }

                        await SendAsync(EmptyMessage(CoapMessageType.Acknowledgement, request.MessageId), peer, ct).ConfigureAwait(false);
                    }

                    await delayCancel.CancelAsync().ConfigureAwait(false);
                }

                response = await AwaitResponse(task.ConfigureAwait(false)).ConfigureAwait(false);
            }
            else
            {
                response = await AwaitResponse(work).ConfigureAwait(false);
            }

            byte[] answer = FinishResponse(request, response, separate);
            lock (sync)
            {
                entry.Answer = answer;
            }

            if (!separate)
            {
                await SendAsync(answer, peer, ct).ConfigureAwait(false);
                return;
            }

            string? failure = await SendConfirmableAsync(answer, response.MessageId, peer, ct).ConfigureAwait(false);
            if (failure is not null)
            {
                CoapLog.SeparateResponseLost(logger, peer, failure);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Endpoint stopping.
        }
        catch (Exception ex)
        {
            CoapLog.ProcessingFailed(logger, ex, SafeLocalEndPoint(), peer);
        }
    }

    private ValueTask<CoapMessage> Dispatch(CoapMessage request, PeerAddress peer, CancellationToken ct)
    {
        try
        {
            return dispatcher!.DispatchAsync(request, peer, ct);
        }
        catch (Exception ex)
        {
            return ValueTask.FromResult(InternalError(ex));
        }
    }

    private async ValueTask<CoapMessage> AwaitResponse(ValueTask<CoapMessage> work)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            return InternalError(ex);
        }
    }

    private async ValueTask<CoapMessage> AwaitResponse(System.Runtime.CompilerServices.ConfiguredTaskAwaitable<CoapMessage> work)
    {
        try
        {
            return await work;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            return InternalError(ex);
        }
    }

    private CoapMessage InternalError(Exception ex)
    {
        Metrics.Increment(CoapCounter.HandlerErrors);
        CoapLog.ProcessingFailed(logger, ex, SafeLocalEndPoint(), default);
        return new CoapMessage { Code = CoapCode.InternalServerError, Payload = System.Text.Encoding.UTF8.GetBytes("internal error") };
    }

    private byte[] FinishResponse(CoapMessage request, CoapMessage response, bool separate)
    {
        response.Token = request.Token;
        if (separate)
        {
            response.Type = CoapMessageType.Confirmable;
            response.MessageId = NextMessageId();
        }
        else if (request.Type == CoapMessageType.Confirmable)
        {
            response.Type = CoapMessageType.Acknowledgement;
            response.MessageId = request.MessageId;
        }
        else
        {
            response.Type = CoapMessageType.NonConfirmable;
            response.MessageId = NextMessageId();
        }

        return response.Encode();
    }

    private byte[]? OnResponse(in CoapMessageView view, PeerAddress peer)
    {
        Metrics.Increment(CoapCounter.ResponsesReceived);
        var token = TokenKey.From(view.Token);
        if (view.Type == CoapMessageType.Acknowledgement)
        {
            // Piggybacked response: matched by message id, and the token must be the request's (§5.3.2).
            Exchange? exchange;
            lock (sync)
            {
                if (!confirmables.TryGetValue((peer.EndPoint, view.MessageId), out exchange) || exchange.Token != token)
                {
                    exchange = null;
                }
            }

            if (exchange is null)
            {
                Unmatched("piggybacked response", peer, view.MessageId, "ignored");
                return null;
            }

            var piggybacked = CoapMessage.FromView(view);
            if (CoapOptionRules.FindBadCriticalOption(piggybacked) is not null)
            {
                Metrics.Increment(CoapCounter.BadOptionRejected);
                return null;
            }

            lock (sync)
            {
                confirmables.Remove((peer.EndPoint, view.MessageId));
                exchanges.Remove((peer.EndPoint, token));
            }

            exchange.Acknowledged.TrySetResult();
            exchange.Response?.TrySetResult(piggybacked);
            return null;
        }

        // A separate (CON) or NON response: deduplicate, then match by token.
        long now = time.GetTimestamp();
        bool confirmable = view.Type == CoapMessageType.Confirmable;
        DeduplicationCache.Entry entry;
        Exchange? matched;
        var message = CoapMessage.FromView(view);
        bool bad = CoapOptionRules.FindBadCriticalOption(message) is not null;
        lock (sync)
        {
            if (dedup.TryGet(peer, view.MessageId, now, out entry))
            {
                Metrics.Increment(CoapCounter.DuplicatesReceived);
                return confirmable ? entry.Answer : null;
            }

            var lifetime = confirmable ? options.ExchangeLifetime : options.NonLifetime;
            int evicted = dedup.Add(peer, view.MessageId, now + ToTimestamp(lifetime), now, out entry);
            for (int i = 0; i < evicted; i++)
            {
                Metrics.Increment(CoapCounter.DeduplicationEvictions);
            }

            if (!bad && exchanges.Remove((peer.EndPoint, token), out matched))
            {
                confirmables.Remove((matched.EndPoint, matched.MessageId));
            }
            else
            {
                matched = null;
            }
        }

        if (matched is null)
        {
            if (bad)
            {
                Metrics.Increment(CoapCounter.BadOptionRejected);
            }

            Unmatched(bad ? "response with a bad critical option" : "response", peer, view.MessageId, confirmable ? "RST" : "ignored");
            byte[]? rst = confirmable ? Reset(view.MessageId) : null;
            lock (sync)
            {
                entry.Answer = rst;
            }

            return rst;
        }

        matched.Acknowledged.TrySetResult();
        matched.Response?.TrySetResult(message);
        if (!confirmable)
        {
            return null;
        }

        byte[] ack = EmptyMessage(CoapMessageType.Acknowledgement, view.MessageId);
        lock (sync)
        {
            entry.Answer = ack;
        }

        return ack;
    }

    /// <summary>
    /// Client side: sends a request (CON: retransmitted with back-off until acknowledged) and waits for its response.
    /// Holds one of the peer's NSTART slots for the whole exchange.
    /// </summary>
    public async Task<CoapMessage> RequestAsync(PeerAddress peer, CoapMessage request, string resource, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        var ct = linked.Token;
        var gate = GetGate(peer.EndPoint);
        await gate.WaitAsync(ct).ConfigureAwait(false);
        Interlocked.Increment(ref requestsInFlight);
        Exchange? exchange = null;
        try
        {
            lock (sync)
            {
                TokenKey token;
                byte[] tokenBytes = new byte[options.TokenLength];
                do
                {
                    // §5.3.1: unpredictable tokens guard against off-path spoofing on plain CoAP.
                    if (cryptoTokens)
                    {
                        EdgeNode.Link.Security.KernelRandom.Fill(tokenBytes);
                    }
                    else
                    {
                        random.NextBytes(tokenBytes);
                    }

                    token = TokenKey.From(tokenBytes);
                }
                while (exchanges.ContainsKey((peer.EndPoint, token)));

                request.Token = tokenBytes;
                request.MessageId = NextMessageId();
                exchange = new Exchange(peer.EndPoint, request.MessageId, token);
                exchanges[(peer.EndPoint, token)] = exchange;
                confirmables[(peer.EndPoint, request.MessageId)] = exchange;
            }

            byte[] datagram = request.Encode();
            long started = time.GetTimestamp();
            if (request.Type == CoapMessageType.Confirmable)
            {
                var (ok, transmissions) = await TransmitAsync(datagram, exchange, peer, ct).ConfigureAwait(false);
                if (!ok)
                {
                    Metrics.Increment(CoapCounter.Timeouts);
                    var waited = time.GetElapsedTime(started);
                    throw new CoapTimeoutException(
                        $"CoAP {resource}: no acknowledgement from {peer} after {transmissions} transmissions over {waited.TotalSeconds:0.#} s (MAX_RETRANSMIT {options.MaxRetransmit}, ACK_TIMEOUT {options.AckTimeout.TotalSeconds:0.#} s)",
                        transmissions,
                        waited);
                }
            }
            else
            {
                await SendAsync(datagram, peer, ct).ConfigureAwait(false);
            }

            var responseTask = exchange.Response!.Task;
            if (!await WaitAsync(responseTask, options.EffectiveResponseTimeout, ct).ConfigureAwait(false))
            {
                Metrics.Increment(CoapCounter.Timeouts);
                var waited = time.GetElapsedTime(started);
                string what = request.Type == CoapMessageType.Confirmable ? "acknowledged but no separate response" : "no response to the NON request";
                throw new CoapTimeoutException($"CoAP {resource}: {what} from {peer} within {waited.TotalSeconds:0.#} s", 1, waited);
            }

            return await responseTask.ConfigureAwait(false);
        }
        finally
        {
            if (exchange is not null)
            {
                lock (sync)
                {
                    if (exchange.Token is { } token && exchanges.TryGetValue((peer.EndPoint, token), out var current) && ReferenceEquals(current, exchange))
                    {
                        exchanges.Remove((peer.EndPoint, token));
                    }

                    if (confirmables.TryGetValue((peer.EndPoint, exchange.MessageId), out var pending) && ReferenceEquals(pending, exchange))
                    {
                        confirmables.Remove((peer.EndPoint, exchange.MessageId));
                    }
                }
            }

            Interlocked.Decrement(ref requestsInFlight);
            try
            {
                gate.Release();
            }
            catch (ObjectDisposedException)
            {
                // Endpoint disposed while the request ran.
            }
        }
    }

    /// <summary>Sends a CON (not a request) and retransmits until ACK/RST; returns null on success or the reason.</summary>
    private async Task<string?> SendConfirmableAsync(byte[] datagram, ushort id, PeerAddress peer, CancellationToken ct)
    {
        var exchange = new Exchange(peer.EndPoint, id, token: null);
        lock (sync)
        {
            confirmables[(peer.EndPoint, id)] = exchange;
        }

        try
        {
            var (ok, transmissions) = await TransmitAsync(datagram, exchange, peer, ct).ConfigureAwait(false);
            if (!ok)
            {
                Metrics.Increment(CoapCounter.Timeouts);
                return $"no ACK after {transmissions} transmissions";
            }

            return exchange.WasReset ? "the peer answered with RST" : null;
        }
        finally
        {
            lock (sync)
            {
                if (confirmables.TryGetValue((peer.EndPoint, id), out var current) && ReferenceEquals(current, exchange))
                {
                    confirmables.Remove((peer.EndPoint, id));
                }
            }
        }
    }

    /// <summary>§4.2: transmit, wait ACK_TIMEOUT × rand[1, ACK_RANDOM_FACTOR], double, up to MAX_RETRANSMIT times.</summary>
    private async Task<(bool Acknowledged, int Transmissions)> TransmitAsync(byte[] datagram, Exchange exchange, PeerAddress peer, CancellationToken ct)
    {
        TimeSpan timeout;
        lock (sync)
        {
            timeout = options.AckTimeout * (1 + (random.NextDouble() * (options.AckRandomFactor - 1)));
        }

        int transmissions = 0;
        while (true)
        {
            await SendAsync(datagram, peer, ct).ConfigureAwait(false);
            transmissions++;
            if (transmissions > 1)
            {
                Metrics.Increment(CoapCounter.Retransmissions);
            }

            if (await WaitAsync(exchange.Acknowledged.Task, timeout, ct).ConfigureAwait(false))
            {
                return (true, transmissions);
            }

            if (transmissions > options.MaxRetransmit)
            {
                return (false, transmissions);
            }

            timeout *= 2;
        }
    }

    private async Task<bool> WaitAsync(Task task, TimeSpan timeout, CancellationToken ct)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(timeout, time, cancel.Token);
        var winner = await WhenAnyParkedAsync(task, delay).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
        if (winner == task)
        {
            return true;
        }

        ct.ThrowIfCancellationRequested();
        return false;
    }

    /// <summary><see cref="Task.WhenAny(Task, Task)"/>, recorded as parked (see <see cref="IsQuiescent"/>) while it waits.</summary>
    private async Task<Task> WhenAnyParkedAsync(Task awaited, Task timer)
    {
        var entry = (awaited, timer);
        lock (sync)
        {
            parked.Add(entry);
        }

        try
        {
            return await Task.WhenAny(awaited, timer).ConfigureAwait(false);
        }
        finally
        {
            lock (sync)
            {
                parked.Remove(entry);
            }
        }
    }

    private SemaphoreSlim GetGate(IPEndPoint endPoint)
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            if (!gates.TryGetValue(endPoint, out var gate))
            {
                gate = new SemaphoreSlim(options.NStart, options.NStart);
                gates[endPoint] = gate;
            }

            return gate;
        }
    }

    internal async ValueTask SendAsync(byte[] datagram, PeerAddress peer, CancellationToken ct)
    {
        try
        {
            await transport.SendAsync(datagram, peer, ct).ConfigureAwait(false);
            Metrics.Increment(CoapCounter.DatagramsSent);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Metrics.Increment(CoapCounter.TransportErrors);
            CoapLog.SendFailed(logger, ex, datagram.Length, peer);
        }
    }

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        lock (sync)
        {
            running.Add(task);
        }

        task.ContinueWith(
            (t, state) =>
            {
                var self = (CoapEndpoint)state!;
                lock (self.sync)
                {
                    self.running.Remove(t);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Unmatched(string what, PeerAddress peer, ushort id, string reaction)
    {
        Metrics.Increment(CoapCounter.UnmatchedMessages);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            CoapLog.Unmatched(logger, what, peer, id, reaction);
        }
    }

    private byte[] Reset(ushort id)
    {
        Metrics.Increment(CoapCounter.ResetsSent);
        return EmptyMessage(CoapMessageType.Reset, id);
    }

    internal static byte[] EmptyMessage(CoapMessageType type, ushort id)
    {
        var datagram = new byte[CoapMessageReader.HeaderLength];
        var writer = new CoapMessageWriter(datagram);
        writer.TryWriteHeader(type, CoapCode.Empty, id, default);
        return datagram;
    }

    internal ushort NextMessageId() => (ushort)Interlocked.Increment(ref messageId);

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    private string SafeLocalEndPoint()
    {
        try
        {
            return transport.LocalEndPoint.ToString();
        }
        catch (Exception)
        {
            return "?";
        }
    }
}
