namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>A container's health check status (None when it has no health check).</summary>
public enum ContainerHealth
{
    None = 0,
    Starting = 1,
    Healthy = 2,
    Unhealthy = 3,
}
