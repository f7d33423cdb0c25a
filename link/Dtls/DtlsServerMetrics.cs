using System.Diagnostics.Metrics;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// Counters of one <see cref="DtlsServerTransport"/>: read them directly (the hub's /metrics page, tests), or
/// through the <see cref="MeterName"/> meter (instruments <c>edgenode.dtls.handshakes</c> tagged
/// <c>result</c>/<c>reason</c>, <c>edgenode.dtls.sessions.active</c>, <c>edgenode.dtls.handshakes.active</c>,
/// <c>edgenode.dtls.datagrams.dropped</c> tagged <c>reason</c>).
/// </summary>
public sealed class DtlsServerMetrics
{
    public const string MeterName = "EdgeNode.Link.Dtls";

    private static readonly DtlsHandshakeFailure[] FailureReasons = Enum.GetValues<DtlsHandshakeFailure>();
    private static readonly DtlsDropReason[] DropReasons = Enum.GetValues<DtlsDropReason>();

    private readonly long[] _failed = new long[FailureReasons.Length];
    private readonly long[] _dropped = new long[DropReasons.Length];
    private readonly Meter _meter;
    private long _succeeded;
    private long _cookieExchanges;
    private long _sessionsReplaced;
    private long _sessionsExpired;
    private long _sessionsDropped;
    private int _sessionsActive;
    private int _handshakesActive;

    internal DtlsServerMetrics()
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("edgenode.dtls.handshakes", ObserveHandshakes, unit: "{handshake}",
            description: "DTLS handshakes completed, by result and failure reason");
        _meter.CreateObservableUpDownCounter("edgenode.dtls.sessions.active", () => SessionsActive, unit: "{session}",
            description: "Established DTLS sessions");
        _meter.CreateObservableUpDownCounter("edgenode.dtls.handshakes.active", () => HandshakesInProgress, unit: "{handshake}",
            description: "DTLS handshakes in progress");
        _meter.CreateObservableCounter("edgenode.dtls.datagrams.dropped", ObserveDrops, unit: "{datagram}",
            description: "Datagrams dropped by the DTLS server transport, by reason");
    }

    public long HandshakesSucceeded => Interlocked.Read(ref _succeeded);

    /// <summary>This server's meter (tests pick its instruments out of a shared <see cref="MeterListener"/>).</summary>
    internal Meter Meter => _meter;

    public long HandshakesFailed
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _failed.Length; i++)
                sum += Interlocked.Read(ref _failed[i]);
            return sum;
        }
    }

    /// <summary>HelloVerifyRequests sent (a ClientHello without a valid cookie).</summary>
    public long CookieExchanges => Interlocked.Read(ref _cookieExchanges);

    /// <summary>Sessions replaced by a new handshake from the same endpoint (client restarted on the same port).</summary>
    public long SessionsReplaced => Interlocked.Read(ref _sessionsReplaced);

    /// <summary>Sessions closed after <see cref="DtlsOptions.IdleTimeout"/> without traffic.</summary>
    public long SessionsExpired => Interlocked.Read(ref _sessionsExpired);

    /// <summary>Sessions closed by <see cref="DtlsServerTransport.DropSessions"/>.</summary>
    public long SessionsDropped => Interlocked.Read(ref _sessionsDropped);

    public int SessionsActive => Volatile.Read(ref _sessionsActive);

    public int HandshakesInProgress => Volatile.Read(ref _handshakesActive);

    public long DroppedTotal
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _dropped.Length; i++)
                sum += Interlocked.Read(ref _dropped[i]);
            return sum;
        }
    }

    public long HandshakesFailedBy(DtlsHandshakeFailure reason) => Interlocked.Read(ref _failed[Array.IndexOf(FailureReasons, reason)]);

    public long Dropped(DtlsDropReason reason) => Interlocked.Read(ref _dropped[Array.IndexOf(DropReasons, reason)]);

    /// <summary>Unpublishes the instruments (the server transport calls it when disposed).</summary>
    internal void Dispose() => _meter.Dispose();

    public override string ToString() =>
        $"handshakes ok={HandshakesSucceeded} failed={HandshakesFailed} active={HandshakesInProgress}, sessions active={SessionsActive} " +
        $"replaced={SessionsReplaced} expired={SessionsExpired} dropped={SessionsDropped}, cookies={CookieExchanges}, datagrams dropped={DroppedTotal}";

    internal void HandshakeSucceeded() => Interlocked.Increment(ref _succeeded);

    internal void HandshakeFailed(DtlsHandshakeFailure reason) => Interlocked.Increment(ref _failed[Array.IndexOf(FailureReasons, reason)]);

    internal void Drop(DtlsDropReason reason) => Interlocked.Increment(ref _dropped[Array.IndexOf(DropReasons, reason)]);

    internal void CookieExchange() => Interlocked.Increment(ref _cookieExchanges);

    internal void SessionReplaced() => Interlocked.Increment(ref _sessionsReplaced);

    internal void SessionExpired() => Interlocked.Increment(ref _sessionsExpired);

    internal void SessionDropped() => Interlocked.Increment(ref _sessionsDropped);

    internal void SessionOpened() => Interlocked.Increment(ref _sessionsActive);

    internal void SessionClosed() => Interlocked.Decrement(ref _sessionsActive);

    internal bool TryStartHandshake(int limit)
    {
        while (true)
        {
            var current = Volatile.Read(ref _handshakesActive);
            if (current >= limit)
                return false;
            if (Interlocked.CompareExchange(ref _handshakesActive, current + 1, current) == current)
                return true;
        }
    }

    internal void HandshakeEnded() => Interlocked.Decrement(ref _handshakesActive);

    private IEnumerable<Measurement<long>> ObserveHandshakes()
    {
        yield return new Measurement<long>(HandshakesSucceeded, new KeyValuePair<string, object?>("result", "ok"));
        foreach (var reason in FailureReasons)
        {
            yield return new Measurement<long>(HandshakesFailedBy(reason),
                new KeyValuePair<string, object?>("result", "failed"), new KeyValuePair<string, object?>("reason", ReasonLabel(reason)));
        }
    }

    private IEnumerable<Measurement<long>> ObserveDrops()
    {
        foreach (var reason in DropReasons)
            yield return new Measurement<long>(Dropped(reason), new KeyValuePair<string, object?>("reason", ReasonLabel(reason)));
    }

    internal static string ReasonLabel(DtlsHandshakeFailure reason) => reason switch
    {
        DtlsHandshakeFailure.UnknownIdentity => "unknown_identity",
        DtlsHandshakeFailure.Timeout => "timeout",
        DtlsHandshakeFailure.AlertReceived => "alert_received",
        DtlsHandshakeFailure.ProtocolError => "protocol_error",
        DtlsHandshakeFailure.Canceled => "canceled",
        DtlsHandshakeFailure.Unreachable => "unreachable",
        _ => "other",
    };

    internal static string ReasonLabel(DtlsDropReason reason) => reason switch
    {
        DtlsDropReason.Malformed => "malformed",
        DtlsDropReason.TooLarge => "too_large",
        DtlsDropReason.NoSession => "no_session",
        DtlsDropReason.BadClientHello => "bad_client_hello",
        DtlsDropReason.HandshakeLimit => "handshake_limit",
        DtlsDropReason.SessionLimit => "session_limit",
        DtlsDropReason.ReceiveQueueFull => "receive_queue_full",
        DtlsDropReason.SessionError => "session_error",
        DtlsDropReason.SendNoSession => "send_no_session",
        _ => "other",
    };
}
