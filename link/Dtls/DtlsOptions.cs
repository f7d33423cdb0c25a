using System.Net;

namespace EdgeNode.Link.Dtls;

/// <summary>
/// Settings of <see cref="DtlsServerTransport"/> and <see cref="DtlsClientTransport"/> (DTLS 1.2, PSK only).
/// The defaults suit the hub and the agent; tests shorten the timeouts.
/// </summary>
public sealed record DtlsOptions
{
    /// <summary>The IANA port of coaps (RFC 7252 §12.7).</summary>
    public const int DefaultPort = 5684;

    /// <summary>Offered (client) or accepted (server) suites, in order of preference.</summary>
    public IReadOnlyList<DtlsCipherSuite> CipherSuites { get; init; } =
        [DtlsCipherSuite.PskWithAes128Ccm8, DtlsCipherSuite.PskWithAes128GcmSha256];

    /// <summary>A handshake that has not finished by then fails (BouncyCastle's default, 0, waits forever
    /// on a wrong key because a wrong key produces no alert).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Server: the most sessions (established or handshaking) at once; new handshakes beyond it are refused.</summary>
    public int MaxSessions { get; init; } = 10_000;

    /// <summary>Server: the most handshakes in progress at once (each holds a thread while it runs).</summary>
    public int MaxConcurrentHandshakes { get; init; } = 32;

    /// <summary>Server: a session that has received nothing for this long is closed and forgotten.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The largest CoAP message carried in one record (<c>IDatagramTransport.MaxDatagramSize</c>). The CoAP layer
    /// picks the largest block that fits below it minus its option allowance (128), so 1152 gives 1024-byte blocks,
    /// whose messages (about 1024 + 10..40 bytes of header) stay below the ~1115 bytes libcoap peers accept in one
    /// DTLS record (their default PMTU 1152 minus their own DTLS overhead). A record on the wire is at most
    /// MaxDatagramSize + 37 bytes, far below the 1500-byte MTU.
    /// </summary>
    public int MaxDatagramSize { get; init; } = 1152;

    /// <summary>The path MTU: the largest UDP datagram read or written (records are never fragmented).</summary>
    public int Mtu { get; init; } = 1500;

    /// <summary>Server: the PSK identity hint sent in ServerKeyExchange (null: none).</summary>
    public string? IdentityHint { get; init; }

    /// <summary>Client: the local endpoint to bind (null: an ephemeral port on the server's address family).</summary>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <summary>Server: decrypted datagrams waiting for <c>ReceiveAsync</c>; more are dropped and counted.</summary>
    public int ReceiveQueueCapacity { get; init; } = 1024;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (CipherSuites is null || CipherSuites.Count == 0)
            throw new ArgumentException("DtlsOptions.CipherSuites must name at least one cipher suite.", nameof(CipherSuites));
        foreach (var suite in CipherSuites)
        {
            if (!Enum.IsDefined(suite))
                throw new ArgumentException($"DtlsOptions.CipherSuites contains unsupported suite 0x{(int)suite:X4}.", nameof(CipherSuites));
        }
        if (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout > TimeSpan.FromMinutes(10))
            throw new ArgumentException($"DtlsOptions.HandshakeTimeout must be between 0 and 10 minutes (was {HandshakeTimeout}).", nameof(HandshakeTimeout));
        if (MaxSessions < 1)
            throw new ArgumentException($"DtlsOptions.MaxSessions must be at least 1 (was {MaxSessions}).", nameof(MaxSessions));
        if (MaxConcurrentHandshakes < 1)
            throw new ArgumentException($"DtlsOptions.MaxConcurrentHandshakes must be at least 1 (was {MaxConcurrentHandshakes}).", nameof(MaxConcurrentHandshakes));
        if (IdleTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"DtlsOptions.IdleTimeout must be positive (was {IdleTimeout}).", nameof(IdleTimeout));
        if (Mtu < 576 || Mtu > 65_535)
            throw new ArgumentException($"DtlsOptions.Mtu must be between 576 and 65535 (was {Mtu}).", nameof(Mtu));
        if (MaxDatagramSize < 64 || MaxDatagramSize > Mtu - DtlsWireSize.IPv6UdpHeaderBytes - DtlsWireSize.MaxRecordOverhead)
            throw new ArgumentException(
                $"DtlsOptions.MaxDatagramSize must be between 64 and Mtu - {DtlsWireSize.IPv6UdpHeaderBytes + DtlsWireSize.MaxRecordOverhead} = {Mtu - DtlsWireSize.IPv6UdpHeaderBytes - DtlsWireSize.MaxRecordOverhead} (was {MaxDatagramSize}).",
                nameof(MaxDatagramSize));
        if (ReceiveQueueCapacity < 1)
            throw new ArgumentException($"DtlsOptions.ReceiveQueueCapacity must be at least 1 (was {ReceiveQueueCapacity}).", nameof(ReceiveQueueCapacity));
    }
}
