namespace EdgeNode.Agent.Link;

/// <summary>The hub did not answer: timeout, DTLS handshake failure, network down. Triggers reconnect with backoff.</summary>
public sealed class HubUnreachableException : Exception
{
    public HubUnreachableException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
