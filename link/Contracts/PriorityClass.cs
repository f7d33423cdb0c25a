namespace EdgeNode.Link.Contracts;

/// <summary>Which apps survive when capacity is short: critical first, best-effort last.</summary>
public enum PriorityClass
{
    Normal = 0,
    Critical = 1,
    BestEffort = 2,
}
