using System.Text;

namespace EdgeNode.Agent.Supervision.Engine.Api;

/// <summary>
/// Buffered reads of an HTTP/1.1 answer from the engine's connection: header lines, then body bytes. Bytes that arrive
/// with the headers stay in the buffer for the body.
/// </summary>
internal sealed class HttpWireReader(Stream stream)
{
    /// <summary>A status or header line longer than this is not the engine talking.</summary>
    public const int MaxLineBytes = 16 * 1024;

    /// <summary>
    /// 4 KiB: an engine answer's head and most JSON bodies fit in one or two reads, and the 30-s resync holds six of
    /// these at once (list + 5 inspects), all garbage a moment later; at 16 KiB they were most of an idle agent's
    /// allocations. A longer line still assembles across reads (up to <see cref="MaxLineBytes"/>).
    /// </summary>
    private const int BufferBytes = 4 * 1024;

    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;

    /// <summary>The next line without its CRLF (a bare LF is accepted); null when the connection ended first.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            var take = lf >= 0 ? lf : span.Length;
            if (line.Length + take > MaxLineBytes)
                throw new InvalidDataException($"engine sent an HTTP line longer than {MaxLineBytes} bytes");
            line.Append(Encoding.ASCII.GetString(span[..take]));
            if (lf >= 0)
            {
                _start += lf + 1;
                if (line.Length > 0 && line[^1] == '\r') line.Length--;
                return line.ToString();
            }
            _start = _end;
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                return line.Length == 0 ? null : throw new InvalidDataException("engine closed the connection in the middle of an HTTP line");
        }
    }

    /// <summary>Up to <paramref name="destination"/>.Length bytes; 0 when the connection ended.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty) return 0;
        if (_start == _end)
        {
            // Large reads bypass the buffer.
            if (destination.Length >= _buffer.Length) return await stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            if (!await FillAsync(cancellationToken).ConfigureAwait(false)) return 0;
        }
        var n = Math.Min(destination.Length, _end - _start);
        _buffer.AsMemory(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }
}
