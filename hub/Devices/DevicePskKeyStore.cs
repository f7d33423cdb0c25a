using EdgeNode.Link.Dtls;

namespace EdgeNode.Hub.Devices;

/// <summary>DTLS keys from the registry: fleet enrollment identities and active devices; null (handshake refused) otherwise.</summary>
public sealed class DevicePskKeyStore(DeviceProtocolHandler handler) : IPskKeyStore
{
    public byte[]? GetKey(string identity) => handler.GetKey(identity);
}
