namespace EdgeNode.Agent.Supervision.Engine.Api;

/// <summary>An engine answer: status, content type and the unread body (disposing closes the connection).</summary>
internal sealed class EngineResponse(int status, string? contentType, Stream body) : IDisposable
{
    public int Status { get; } = status;
    public string? ContentType { get; } = contentType;
    public Stream Body { get; } = body;

    public void Dispose() => Body.Dispose();
}
