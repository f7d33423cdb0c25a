namespace EdgeNode.Agent.Configuration;

/// <summary>
/// The agent's configuration file (<c>/etc/edgenode/agent.json</c>), as written by the factory image.
/// Every property is nullable so that a missing key can be reported by name (see <see cref="AgentConfigLoader"/>).
/// </summary>
public sealed class AgentOptions
{
    /// <summary>Path of the hardware-profile JSON (LED pins, watchdog device, power-fail input).</summary>
    public string? HardwareProfile { get; set; }

    /// <summary>Model name reported at enrollment (e.g. "ipc-a200").</summary>
    public string? Model { get; set; }

    /// <summary>Optional fixed hardware id; default: /etc/machine-id, else a random id kept in the state directory.</summary>
    public string? HardwareId { get; set; }

    public HubOptions? Hub { get; set; }

    public EnrollmentOptions? Enrollment { get; set; }

    /// <summary>Heartbeat interval in seconds (the hub may change it in its acks). Default 10.</summary>
    public int? HeartbeatSeconds { get; set; }

    public DockerOptions? Docker { get; set; }

    public CapacityOptions? Capacity { get; set; }

    /// <summary>Optional override of the state directory (default: $STATE_DIRECTORY, else /var/lib/edgenode).</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Fault-injection flag: while this file exists the agent's loops stop ticking. Default /run/edgenode/freeze-loops.</summary>
    public string? FreezeFlagPath { get; set; }

    /// <summary>A loop that has not ticked for this long starves the watchdogs. Default 60.</summary>
    public int? LoopDeadlineSeconds { get; set; }
}
