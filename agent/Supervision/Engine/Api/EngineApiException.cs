using System.Net;

namespace EdgeNode.Agent.Supervision.Engine.Api;

/// <summary>The engine answered with an error status; <see cref="EngineMessage"/> is its own explanation.</summary>
internal sealed class EngineApiException(HttpStatusCode status, string engineMessage)
    : Exception($"engine answered {(int)status}: {engineMessage}")
{
    public HttpStatusCode Status { get; } = status;

    public string EngineMessage { get; } = engineMessage;
}
