namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>An engine call failed; the message names the resource and the engine's reason.</summary>
public class EngineException : Exception
{
    public EngineException(string message, Exception? inner = null) : base(message, inner) { }
}
