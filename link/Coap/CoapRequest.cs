using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Coap;

/// <summary>A request as a <see cref="CoapRequestHandler"/> sees it: block-wise bodies are already reassembled.</summary>
public sealed class CoapRequest
{
    public CoapMethod Method { get; init; }

    /// <summary>The Uri-Path segments joined with '/', without a leading '/': "hb", "a/b", "" for the root.</summary>
    public string Path { get; init; } = "";

    /// <summary>The Uri-Query options in order, e.g. ["d=unit-0042"].</summary>
    public IReadOnlyList<string> Query { get; init; } = [];

    public ReadOnlyMemory<byte> Payload { get; init; }

    public int? ContentFormat { get; init; }

    public int? Accept { get; init; }

    /// <summary>ETag options of the request (a client announcing the representations it holds, RFC 7252 §5.10.6.2).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ETags { get; init; } = [];

    public IReadOnlyList<ReadOnlyMemory<byte>> IfMatch { get; init; } = [];

    public bool IfNoneMatch { get; init; }

    public bool Confirmable { get; init; } = true;

    /// <summary>Who sent it; on DTLS, <see cref="PeerAddress.Identity"/> is the authenticated PSK identity.</summary>
    public PeerAddress Peer { get; init; }

    /// <summary>The value of the first query parameter <c>name=value</c>, or null.</summary>
    public string? GetQueryValue(string name)
    {
        foreach (string item in Query)
        {
            if (item.Length > name.Length && item[name.Length] == '=' && item.StartsWith(name, StringComparison.Ordinal))
            {
                return item[(name.Length + 1)..];
            }
        }

        return null;
    }

    public override string ToString() => $"{Method.ToString().ToUpperInvariant()} /{Path} from {Peer}";
}
