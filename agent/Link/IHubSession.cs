namespace EdgeNode.Agent.Link;

/// <summary>One secured session: CON requests, answered by piggybacked or separate responses.</summary>
public interface IHubSession : IAsyncDisposable
{
    /// <summary>The hub address this session talks to (for logs).</summary>
    string Remote { get; }

    /// <summary>Throws <see cref="HubUnreachableException"/> when the request times out (retransmissions exhausted).</summary>
    ValueTask<HubReply> SendAsync(HubMethod method, string path, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
