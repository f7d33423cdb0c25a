namespace EdgeNode.Hub.Configuration;

/// <summary>Everything the hub process is configured with (command-line flags of <c>edgenode-hub serve</c>).</summary>
public sealed class HubOptions
{
    /// <summary>Holds hub.db (SQLite, WAL). Back it up; it contains the device keys.</summary>
    public string DataDirectory { get; set; } = "hub-data";

    /// <summary>HTTP API, dashboard and /metrics. Loopback by default.</summary>
    public string HttpUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Address the CoAP(S) sockets bind to.</summary>
    public string CoapBindAddress { get; set; } = "0.0.0.0";

    /// <summary>Plain CoAP (development only: identity from the query d=&lt;deviceId&gt;). 0 = ephemeral, -1 = disabled.</summary>
    public int CoapPort { get; set; } = 5683;

    /// <summary>CoAP over DTLS-PSK. 0 = ephemeral, -1 = disabled.</summary>
    public int CoapsPort { get; set; } = 5684;

    /// <summary>DTLS sessions the CoAPS endpoint keeps (one per online device).</summary>
    public int MaxDtlsSessions { get; set; } = 200_000;

    /// <summary>CoAP deduplication entries per endpoint (recent exchanges kept for retransmitted requests).</summary>
    public int CoapDeduplicationEntries { get; set; } = 65_536;

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>No heartbeat for this long → Offline. Default: 3 × <see cref="HeartbeatInterval"/>.</summary>
    public TimeSpan? OfflineTimeout { get; set; }

    public TimeSpan EffectiveOfflineTimeout => OfflineTimeout ?? HeartbeatInterval * 3;

    /// <summary>How often the in-memory heartbeat state is written to the store.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often device timeouts are checked.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A delivered command that has no answer yet is sent again after this long.</summary>
    public TimeSpan CommandRedeliveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When set, the spec is loaded from here at start and by POST /api/spec/reload (a git checkout works).</summary>
    public string? SpecDirectory { get; set; }

    /// <summary>Tenant the spec directory is applied to.</summary>
    public string SpecTenant { get; set; } = FleetDefaults.DefaultTenant;

    /// <summary>Fleet enrollment credentials baked into factory images.</summary>
    public List<EnrollmentCredential> EnrollmentCredentials { get; } = [];

    /// <summary>On plain CoAP (dev), an Approved enrollment also carries the PSK. Off by default: keys travel only over DTLS.</summary>
    public bool IssuePskOverPlainCoap { get; set; }

    /// <summary>Print the generated admin token here (default: stdout).</summary>
    public TextWriter? TokenOutput { get; set; }
}
