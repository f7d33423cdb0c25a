using EdgeNode.Hub.Devices;

namespace EdgeNode.Hub.Tests.Support;

/// <summary>How a simulated agent reaches the hub: in process (DeviceProtocolHandler) or over real CoAP/DTLS sockets.</summary>
public interface IAgentLink : IAsyncDisposable
{
    Task<(DeviceReplyCode Code, byte[] Payload)> SendAsync(DeviceResource resource, ReadOnlyMemory<byte> payload);
}
