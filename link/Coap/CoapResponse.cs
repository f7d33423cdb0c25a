using System.Text;

namespace EdgeNode.Link.Coap;

/// <summary>
/// A response: what a handler returns, and what <see cref="CoapClient.SendAsync"/> returns (block-wise bodies
/// already reassembled).
/// </summary>
public readonly record struct CoapResponse(CoapCode Code, ReadOnlyMemory<byte> Payload = default, int? ContentFormat = null)
{
    /// <summary>Entity tag (1–8 bytes), empty = none. On GET, a request carrying the same ETag gets 2.03 Valid.</summary>
    public ReadOnlyMemory<byte> ETag { get; init; }

    /// <summary>Max-Age in seconds (null = the default 60 s, not sent).</summary>
    public uint? MaxAge { get; init; }

    /// <summary>Location-Path, e.g. for 2.01 Created ("a/b").</summary>
    public string? LocationPath { get; init; }

    /// <summary>Size1: with 4.13, the largest body the server accepts.</summary>
    public uint? Size1 { get; init; }

    public bool IsSuccess => Code.IsSuccess;

    public static CoapResponse Content(ReadOnlyMemory<byte> payload, int? contentFormat = null) => new(CoapCode.Content, payload, contentFormat);

    public static CoapResponse Changed(ReadOnlyMemory<byte> payload = default, int? contentFormat = null) => new(CoapCode.Changed, payload, contentFormat);

    public static CoapResponse Created(ReadOnlyMemory<byte> payload = default) => new(CoapCode.Created, payload);

    public static CoapResponse Deleted() => new(CoapCode.Deleted);

    /// <summary>An error with a diagnostic payload: UTF-8 text, no Content-Format (RFC 7252 §5.5.2).</summary>
    public static CoapResponse Error(CoapCode code, string reason) => new(code, Encoding.UTF8.GetBytes(reason));

    /// <summary>The payload as UTF-8 text (diagnostic payloads of errors).</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    public override string ToString() => Payload.IsEmpty ? Code.ToString() : $"{Code} ({Payload.Length} B)";
}
