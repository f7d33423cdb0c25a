namespace EdgeNode.Agent.Link;

/// <summary>Opens a session to the hub: DTLS-PSK handshake (or plain CoAP in dev mode) under the given credentials.</summary>
public interface IHubConnector
{
    /// <summary>Throws <see cref="HubUnreachableException"/> when no hub address answers or the handshake fails.</summary>
    ValueTask<IHubSession> ConnectAsync(HubCredentials credentials, CancellationToken cancellationToken);
}
