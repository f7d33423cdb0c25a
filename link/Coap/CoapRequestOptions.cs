namespace EdgeNode.Link.Coap;

/// <summary>Per-request settings for <see cref="CoapClient.SendAsync"/>.</summary>
public sealed class CoapRequestOptions
{
    /// <summary>CON (retransmitted until acknowledged) or NON.</summary>
    public bool Confirmable { get; init; } = true;

    /// <summary>Uri-Query items, e.g. ["d=unit-0042"].</summary>
    public IReadOnlyList<string> Query { get; init; } = [];

    /// <summary>ETags the client holds: a server answers 2.03 Valid when one is current.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ETags { get; init; } = [];

    public IReadOnlyList<ReadOnlyMemory<byte>> IfMatch { get; init; } = [];

    public bool IfNoneMatch { get; init; }

    public int? Accept { get; init; }

    public int? ContentFormat { get; init; }

    /// <summary>Block size for Block1 uploads and the Block2 size asked for (16–1024); null = the endpoint's.</summary>
    public int? BlockSize { get; init; }
}
