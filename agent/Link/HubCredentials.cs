namespace EdgeNode.Agent.Link;

/// <summary>A PSK identity and key: the fleet enrollment credential, or the device's own after enrollment.</summary>
public sealed record HubCredentials(string Identity, byte[] Key)
{
    public override string ToString() => Identity; // never the key
}
