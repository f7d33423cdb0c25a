namespace EdgeNode.Agent.Configuration;

public sealed class HubOptions
{
    /// <summary>Hub addresses, tried in turn: "10.0.2.2", "hub.example.com", "[fd00::1]:5684", "10.0.0.5:5684".</summary>
    public List<string>? Addresses { get; set; }

    /// <summary>Default UDP port for addresses without one. Default 5684 (CoAPS), or 5683 when <see cref="PlainCoap"/>.</summary>
    public int? Port { get; set; }

    /// <summary>Development only: plain CoAP (no DTLS); the device id travels in the query (d=ID).</summary>
    public bool? PlainCoap { get; set; }

    /// <summary>How long one request may take, retransmissions included. Default 20.</summary>
    public int? RequestTimeoutSeconds { get; set; }

    /// <summary>Reconnect backoff: first ceiling in seconds (default 1) and the cap (default 300). Full jitter.</summary>
    public double? ReconnectInitialSeconds { get; set; }

    public double? ReconnectMaxSeconds { get; set; }
}
