namespace EdgeNode.Agent.Supervision.Engine;

public enum EngineEventKind
{
    Other = 0,
    Start = 1,
    Die = 2,
    Oom = 3,
    Unhealthy = 4,
    Healthy = 5,
    Destroy = 6,
}
