using Org.BouncyCastle.Tls;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// BouncyCastle's view of one peer's datagrams. During the handshake BouncyCastle blocks in
/// <see cref="Receive(Span{byte}, int)"/> on a handshake thread while the socket loop <see cref="Enqueue"/>s;
/// once the session is established the socket loop <see cref="Pump"/>s each datagram through the session
/// synchronously (no thread per session). Implements the Span overloads; Receive returns -1 on timeout.
/// </summary>
internal sealed class DtlsDatagramChannel : DatagramTransport
{
    private const int MaxQueuedDatagrams = 64;

    private static readonly TlsFatalAlert EndOfPump = new(AlertDescription.bad_record_mac, "end of pumped datagram");

    private readonly object _gate = new();
    private readonly Queue<byte[]> _queue = new();
    private readonly DatagramSend _send;
    private readonly int _receiveLimit;
    private readonly int _sendLimit;
    private byte[]? _pumped;
    private int _pumpedLength;
    private bool _pumpMode;
    private bool _closed;

    /// <summary>Sends one datagram to the peer; must not throw for network errors it can swallow.</summary>
    public delegate void DatagramSend(ReadOnlySpan<byte> datagram);

    public DtlsDatagramChannel(DatagramSend send, int mtu, int sendLimit)
    {
        _send = send;
        _receiveLimit = mtu;
        _sendLimit = sendLimit;
    }

    /// <summary>Raised once, when BouncyCastle (close_notify, fatal alert) or the owner closes the channel.</summary>
    public event Action? Closed;

    public bool IsClosed
    {
        get
        {
            lock (_gate)
                return _closed;
        }
    }

    /// <summary>The lock the owner holds while it pumps or switches modes (Monitor is reentrant).</summary>
    public object Gate => _gate;

    public int GetReceiveLimit() => _receiveLimit;

    public int GetSendLimit() => _sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        lock (_gate)
        {
            if (_pumpMode)
            {
                // Established: hand over the datagram being pumped once. Asked again, the record layer found no
                // application data in it (alert, retransmitted Finished, forged or replayed record) and would poll
                // until its wait expires, holding the socket loop for milliseconds per record. End the call now:
                // DtlsTransport.Receive turns bad_record_mac into -1 without failing the session when
                // IgnoreCorruptDtlsRecords is set (both our peers set it), and nothing was consumed.
                if (_pumped is null)
                    throw EndOfPump;
                var n = Math.Min(_pumpedLength, buffer.Length);
                _pumped.AsSpan(0, n).CopyTo(buffer);
                _pumped = null;
                return n;
            }

            // Handshake: wait for the socket loop. waitMillis 0 means "no limit" (as for a socket's
            // ReceiveTimeout); Close() wakes the waiter in every case.
            var deadline = waitMillis > 0 ? Environment.TickCount64 + waitMillis : long.MaxValue;
            while (_queue.Count == 0)
            {
                if (_closed)
                    throw new IOException("DTLS datagram channel closed");
                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                    return -1;
                Monitor.Wait(_gate, (int)Math.Min(remaining, int.MaxValue));
            }
            var datagram = _queue.Dequeue();
            var length = Math.Min(datagram.Length, buffer.Length);
            datagram.AsSpan(0, length).CopyTo(buffer);
            return length;
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (IsClosed)
            return;
        _send(buffer);
    }

    public void Close()
    {
        Action? closed;
        lock (_gate)
        {
            if (_closed)
                return;
            _closed = true;
            _queue.Clear();
            Monitor.PulseAll(_gate);
            closed = Closed;
        }
        closed?.Invoke();
    }

    /// <summary>Queues a handshake datagram (copied); false when closed, established or the queue is full.</summary>
    public bool Enqueue(ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            if (_closed || _pumpMode || _queue.Count >= MaxQueuedDatagrams)
                return false;
            _queue.Enqueue(datagram.ToArray());
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Switches to pump mode and returns the datagrams that arrived meanwhile (call under <see cref="Gate"/>).</summary>
    public byte[][] SwitchToPump()
    {
        lock (_gate)
        {
            _pumpMode = true;
            var pending = _queue.ToArray();
            _queue.Clear();
            return pending;
        }
    }

    /// <summary>
    /// Runs one datagram through the session and hands every application record to <paramref name="deliver"/>.
    /// The caller holds <see cref="Gate"/> and has called <see cref="SwitchToPump"/>. Throws what BouncyCastle throws
    /// (fatal alert, decode failure): the session is then unusable.
    /// </summary>
    public void Pump(DtlsTransport session, byte[] datagram, int length, byte[] plaintext, Action<byte[], int> deliver)
    {
        lock (_gate)
        {
            if (_closed)
                return;
            _pumped = datagram;
            _pumpedLength = length;
            try
            {
                // BouncyCastle reads the pumped datagram; if it held no application data, the next read ends
                // the call at once (see Receive). -1 then means "nothing for the application".
                var n = session.Receive(plaintext, 0, plaintext.Length, 1);
                while (n >= 0)
                {
                    if (n > 0)
                        deliver(plaintext, n);
                    if (_closed)
                        break;
                    n = session.ReceivePending(plaintext, 0, plaintext.Length);
                }
            }
            finally
            {
                _pumped = null;
            }
        }
    }
}
