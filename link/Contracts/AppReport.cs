using ProtoBuf;

namespace EdgeNode.Link.Contracts;

[ProtoContract]
public sealed class AppReport
{
    [ProtoMember(1)] public string Name { get; set; } = "";
    [ProtoMember(2)] public AppPhase Phase { get; set; }
    [ProtoMember(3)] public uint Restarts { get; set; }
    [ProtoMember(4)] public int LastExitCode { get; set; }
    [ProtoMember(5)] public string LogTail { get; set; } = "";
    [ProtoMember(6)] public string ContainerId { get; set; } = "";
    [ProtoMember(7)] public string Error { get; set; } = "";
    [ProtoMember(8)] public string Image { get; set; } = "";
}
