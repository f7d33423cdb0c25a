using EdgeNode.Hub.Devices;

namespace EdgeNode.Hub.Tests.Support;

public sealed class InProcessLink(DeviceProtocolHandler handler, string? identity, bool secured = true) : IAgentLink
{
    public Task<(DeviceReplyCode Code, byte[] Payload)> SendAsync(DeviceResource resource, ReadOnlyMemory<byte> payload)
    {
        var reply = handler.Handle(resource, identity, secured, payload);
        return Task.FromResult((reply.Code, reply.Payload));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
