using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Fleet;

/// <summary>An operator command for one device: delivered with a heartbeat ack, answered by POST /cmd.</summary>
public sealed class CommandRecord
{
    public required long Id { get; init; }
    public required string DeviceId { get; init; }
    public required CommandKind Kind { get; init; }
    public string App { get; init; } = "";
    public uint DurationSeconds { get; init; }
    public uint TailLines { get; init; }
    public string RequestedBy { get; init; } = "";
    public CommandState State { get; set; }
    public long CreatedMs { get; init; }
    public long DeliveredMs { get; set; }
    public long CompletedMs { get; set; }
    public bool Ok { get; set; }
    public string Message { get; set; } = "";
    public string Output { get; set; } = "";
}
