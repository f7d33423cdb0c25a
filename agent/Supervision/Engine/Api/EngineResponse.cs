namespace EdgeNode.Agent.Supervision.Engine.Api;

/// <summary>An engine answer: status and the unread body (disposing closes the connection).</summary>
internal sealed class EngineResponse(int status, Stream body) : IDisposable
{
    public int Status { get; } = status;
    public Stream Body { get; } = body;

    public void Dispose() => Body.Dispose();
}
