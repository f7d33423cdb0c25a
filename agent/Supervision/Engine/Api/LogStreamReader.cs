using System.Buffers.Binary;
using System.Text;

namespace EdgeNode.Agent.Supervision.Engine.Api;

/// <summary>
/// Reads <c>GET /containers/{id}/logs</c>. A container without a TTY (all of ours) answers in the engine's multiplexed
/// framing: an 8-byte header (stream 0/1/2, three zero bytes, big-endian payload length) before each chunk. A TTY
/// container answers the raw bytes. The framing is recognised from the first header, so either shape reads as text.
/// </summary>
internal static class LogStreamReader
{
    /// <summary>Upper bound on what one tail read keeps (the newest bytes win).</summary>
    public const int MaxBytes = 256 * 1024;

    public static async Task<string> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var raw = new MemoryStream();
        await stream.CopyToAsync(raw, cancellationToken).ConfigureAwait(false);
        return Decode(raw.GetBuffer().AsSpan(0, (int)raw.Length));
    }

    /// <summary>Decodes a complete logs answer to text (stdout and stderr interleaved as the engine sent them).</summary>
    public static string Decode(ReadOnlySpan<byte> data)
    {
        if (!IsMultiplexed(data)) return Tail(data);
        var text = new MemoryStream(data.Length);
        while (data.Length >= 8)
        {
            var length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data[4..8]), int.MaxValue);
            var payload = data[8..];
            var take = Math.Min(length, payload.Length); // a truncated last frame keeps what arrived
            text.Write(payload[..take]);
            data = payload[take..];
        }
        return Tail(text.GetBuffer().AsSpan(0, (int)text.Length));
    }

    private static bool IsMultiplexed(ReadOnlySpan<byte> data) =>
        data.Length >= 8 && data[0] <= 2 && data[1] == 0 && data[2] == 0 && data[3] == 0;

    private static string Tail(ReadOnlySpan<byte> text) =>
        Encoding.UTF8.GetString(text.Length > MaxBytes ? text[^MaxBytes..] : text);
}
