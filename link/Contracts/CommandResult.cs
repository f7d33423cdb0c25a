using ProtoBuf;

namespace EdgeNode.Link.Contracts;

/// <summary>POST /cmd: the agent's answer to one command.</summary>
[ProtoContract]
public sealed class CommandResult
{
    [ProtoMember(1)] public ulong Id { get; set; }
    [ProtoMember(2)] public bool Ok { get; set; }
    [ProtoMember(3)] public string Message { get; set; } = "";
    /// <summary>For AppLogs: the log tail.</summary>
    [ProtoMember(4)] public string Output { get; set; } = "";
}
