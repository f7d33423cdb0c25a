using EdgeNode.Hub.Devices;

namespace EdgeNode.Hub.Tests.Support;

public sealed class AgentCallException(DeviceReplyCode code, string reason) : Exception($"{code}: {reason}")
{
    public DeviceReplyCode Code { get; } = code;
    public string Reason { get; } = reason;
}
