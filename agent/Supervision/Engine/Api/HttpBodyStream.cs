using System.Globalization;

namespace EdgeNode.Agent.Supervision.Engine.Api;

/// <summary>
/// The body of one HTTP/1.1 answer as a read-only stream: Content-Length bytes, chunked transfer coding (the engine's
/// streams: events, pull and load progress, logs), or everything until the engine closes the connection. Disposing
/// it closes the connection (one exchange per connection).
/// </summary>
internal sealed class HttpBodyStream : Stream
{
    private readonly HttpWireReader _reader;
    private readonly IDisposable _connection;
    private readonly bool _chunked;
    private long _remaining; // bytes left in the body (Content-Length) or in the current chunk; -1 = until close
    private bool _done;

    public HttpBodyStream(HttpWireReader reader, IDisposable connection, long? contentLength, bool chunked)
    {
        _reader = reader;
        _connection = connection;
        _chunked = chunked;
        _remaining = chunked ? 0 : contentLength ?? -1;
        _done = !chunked && contentLength == 0;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done || buffer.IsEmpty) return 0;
        if (_chunked && _remaining == 0)
        {
            _remaining = await ReadChunkSizeAsync(cancellationToken).ConfigureAwait(false);
            if (_remaining == 0)
            {
                // Last chunk: skip trailers up to the empty line.
                while (await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 })
                {
                }
                _done = true;
                return 0;
            }
        }
        var want = _remaining < 0 ? buffer.Length : (int)Math.Min(buffer.Length, _remaining);
        var n = await _reader.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            if (_remaining < 0)
            {
                _done = true;
                return 0;
            }
            throw new IOException($"engine closed the connection with {_remaining} bytes of the answer still to come");
        }
        if (_remaining > 0)
        {
            _remaining -= n;
            if (_chunked && _remaining == 0) await ExpectChunkEndAsync(cancellationToken).ConfigureAwait(false);
            else if (!_chunked && _remaining == 0) _done = true;
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _connection.Dispose();
        base.Dispose(disposing);
    }

    private async ValueTask<long> ReadChunkSizeAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new IOException("engine closed the connection before the next chunk of the answer");
        var size = line.AsSpan();
        var extension = size.IndexOf(';');
        if (extension >= 0) size = size[..extension];
        if (!long.TryParse(size.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw new InvalidDataException($"engine sent a malformed chunk size '{Clip(line)}'");
        return value;
    }

    private async ValueTask ExpectChunkEndAsync(CancellationToken cancellationToken)
    {
        var end = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new IOException("engine closed the connection inside a chunk of the answer");
        if (end.Length != 0) throw new InvalidDataException($"engine sent chunk data longer than its size ('{Clip(end)}')");
    }

    internal static string Clip(string s) => s.Length > 60 ? s[..60] + "..." : s;
}
