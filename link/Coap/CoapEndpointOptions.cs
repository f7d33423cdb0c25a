namespace EdgeNode.Link.Coap;

/// <summary>
/// Transmission parameters (RFC 7252 §4.8) and limits of a CoAP endpoint. Defaults are the RFC's.
/// </summary>
public sealed record CoapEndpointOptions
{
    public static readonly CoapEndpointOptions Default = new();

    /// <summary>ACK_TIMEOUT: initial retransmission timeout (randomised up to × <see cref="AckRandomFactor"/>).</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>ACK_RANDOM_FACTOR (≥ 1).</summary>
    public double AckRandomFactor { get; init; } = 1.5;

    /// <summary>MAX_RETRANSMIT: retransmissions after the first transmission; the timeout doubles each time.</summary>
    public int MaxRetransmit { get; init; } = 4;

    /// <summary>NSTART: outstanding interactions per peer.</summary>
    public int NStart { get; init; } = 1;

    /// <summary>MAX_LATENCY.</summary>
    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>PROCESSING_DELAY (= ACK_TIMEOUT by default).</summary>
    public TimeSpan? ProcessingDelay { get; init; }

    /// <summary>A handler still running after this long gets an empty ACK now and a separate CON response later.</summary>
    public TimeSpan SeparateResponseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a client waits for a separate (or NON) response after its request was acknowledged.</summary>
    public TimeSpan? ResponseTimeout { get; init; }

    /// <summary>Largest request or response body (block-wise reassembled); larger requests get 4.13 with Size1.</summary>
    public int MaxBodySize { get; init; } = 1024 * 1024;

    /// <summary>Preferred block size for Block1/Block2 (16..1024, a power of two).</summary>
    public int PreferredBlockSize { get; init; } = 1024;

    /// <summary>Largest datagram accepted from the network (bigger ones are rejected like malformed ones).</summary>
    public int MaxMessageSize { get; init; } = 1500;

    /// <summary>Token length of requests this endpoint sends (0–8).</summary>
    public int TokenLength { get; init; } = 2;

    /// <summary>Cap on remembered (peer, message id) pairs; the oldest are evicted first.</summary>
    public int MaxDeduplicationEntries { get; init; } = 8192;

    /// <summary>Cap on concurrent block-wise transfers kept by a server (Block1 reassembly + Block2 bodies).</summary>
    public int MaxBlockTransfers { get; init; } = 256;

    public TimeSpan EffectiveProcessingDelay => ProcessingDelay ?? AckTimeout;

    /// <summary>MAX_TRANSMIT_SPAN = ACK_TIMEOUT × (2^MAX_RETRANSMIT − 1) × ACK_RANDOM_FACTOR.</summary>
    public TimeSpan MaxTransmitSpan => AckTimeout * (((1 << MaxRetransmit) - 1) * AckRandomFactor);

    /// <summary>MAX_TRANSMIT_WAIT = ACK_TIMEOUT × (2^(MAX_RETRANSMIT + 1) − 1) × ACK_RANDOM_FACTOR.</summary>
    public TimeSpan MaxTransmitWait => AckTimeout * (((1 << (MaxRetransmit + 1)) - 1) * AckRandomFactor);

    /// <summary>EXCHANGE_LIFETIME = MAX_TRANSMIT_SPAN + 2 × MAX_LATENCY + PROCESSING_DELAY (247 s by default).</summary>
    public TimeSpan ExchangeLifetime => MaxTransmitSpan + (2 * MaxLatency) + EffectiveProcessingDelay;

    /// <summary>NON_LIFETIME = MAX_TRANSMIT_SPAN + MAX_LATENCY (145 s by default).</summary>
    public TimeSpan NonLifetime => MaxTransmitSpan + MaxLatency;

    public TimeSpan EffectiveResponseTimeout => ResponseTimeout ?? MaxTransmitWait;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (AckTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"CoAP AckTimeout must be positive, not {AckTimeout}.");
        }

        if (AckRandomFactor < 1)
        {
            throw new ArgumentException($"CoAP AckRandomFactor must be at least 1, not {AckRandomFactor}.");
        }

        if (MaxRetransmit is < 0 or > 20)
        {
            throw new ArgumentException($"CoAP MaxRetransmit must be 0..20, not {MaxRetransmit}.");
        }

        if (NStart < 1)
        {
            throw new ArgumentException($"CoAP NStart must be at least 1, not {NStart}.");
        }

        if (PreferredBlockSize is < 16 or > 1024 || (PreferredBlockSize & (PreferredBlockSize - 1)) != 0)
        {
            throw new ArgumentException($"CoAP PreferredBlockSize must be a power of two in 16..1024, not {PreferredBlockSize}.");
        }

        if (TokenLength is < 0 or > 8)
        {
            throw new ArgumentException($"CoAP TokenLength must be 0..8, not {TokenLength}.");
        }

        if (MaxBodySize < 0 || MaxMessageSize < 64 || MaxDeduplicationEntries < 1 || MaxBlockTransfers < 1)
        {
            throw new ArgumentException("CoAP MaxBodySize, MaxMessageSize (≥ 64), MaxDeduplicationEntries and MaxBlockTransfers must be positive.");
        }
    }
}
