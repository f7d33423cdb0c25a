using System.Net;

namespace EdgeNode.Agent.Configuration;

/// <summary>The validated, resolved configuration: every default applied, every value checked.</summary>
public sealed record AgentConfig
{
    public required string SourcePath { get; init; }
    public required string HardwareProfilePath { get; init; }
    public required string Model { get; init; }
    public string? HardwareId { get; init; }
    public required IReadOnlyList<HubEndpoint> HubEndpoints { get; init; }
    public required bool PlainCoap { get; init; }
    public required TimeSpan RequestTimeout { get; init; }
    public required TimeSpan ReconnectInitial { get; init; }
    public required TimeSpan ReconnectMax { get; init; }
    public required string EnrollmentIdentity { get; init; }
    public required byte[] EnrollmentKey { get; init; }
    public string SlotHint { get; init; } = "";
    public string EnrollmentToken { get; init; } = "";
    public required TimeSpan HeartbeatInterval { get; init; }
    public required Uri DockerEndpoint { get; init; }
    public required string ImageCacheDirectory { get; init; }
    public string ContainerScope { get; init; } = Supervision.SupervisorOptions.DefaultScope;
    public required int CapacityMemoryMb { get; init; }
    public required int CapacityCpuMillis { get; init; }
    public required int CapacityDiskMb { get; init; }
    public required string StateDirectory { get; init; }
    public required string FreezeFlagPath { get; init; }
    public required TimeSpan LoopDeadline { get; init; }
}

/// <summary>One hub address: a host name or IP literal and a UDP port.</summary>
public sealed record HubEndpoint(string Host, int Port)
{
    public override string ToString() => IPAddress.TryParse(Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{Host}]:{Port}"
        : $"{Host}:{Port}";
}
