using EdgeNode.Agent.Link;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>What the link loop needs from the config, resolved.</summary>
public sealed record LinkLoopOptions
{
    public required HubCredentials Enrollment { get; init; }
    public required string Model { get; init; }
    public required string HardwareId { get; init; }
    public string SlotHint { get; init; } = "";
    public string EnrollmentToken { get; init; } = "";
    public required Capacity Capacity { get; init; }
    public required TimeSpan HeartbeatInterval { get; init; }

    /// <summary>Each heartbeat interval is drawn uniformly from interval × [1 − j, 1 + j].</summary>
    public double HeartbeatJitter { get; init; } = 0.1;

    public required TimeSpan RequestTimeout { get; init; }
    public required TimeSpan ReconnectInitial { get; init; }
    public required TimeSpan ReconnectMax { get; init; }

    /// <summary>Dev mode: plain CoAP, the identity travels as ?d=ID.</summary>
    public bool PlainCoap { get; init; }

    /// <summary>While waiting, the loop wakes at least this often to tick its liveness check.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pending enrollment: poll again after this when the hub gives no RetryAfter.</summary>
    public TimeSpan EnrollPollDefault { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After a rejected enrollment, ask again after this (an operator may change their mind).</summary>
    public TimeSpan RejectedRetry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>After this many refusals of the stored identity in a row (DTLS unknown_psk_identity, 4.01, 4.03: the
    /// unit was swapped out, retired, or the hub was restored from an older backup), the unit sets the identity aside
    /// and asks to enroll again as a new unit, so that an operator can approve it without anyone at the unit.</summary>
    public int RefusalsBeforeReenroll { get; init; } = 3;

    public string AgentVersion { get; init; } = "";

    /// <summary>Events per POST /ev and the payload size a batch may reach (one datagram, no Block1).</summary>
    public int MaxEventsPerBatch { get; init; } = 32;

    public int MaxBatchBytes { get; init; } = 900;
}
