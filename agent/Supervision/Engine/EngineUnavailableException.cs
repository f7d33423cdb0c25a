namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>The engine did not answer (socket missing, connection refused or reset, timeout).</summary>
public sealed class EngineUnavailableException : EngineException
{
    public EngineUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
