namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>Docker's container states, reduced to what the planner decides on.</summary>
public enum ContainerStatus
{
    /// <summary>Created but never started (or a start failed).</summary>
    Created = 0,
    Running = 1,
    /// <summary>Exited: the process ended (crash, stop or kill).</summary>
    Exited = 2,
    Paused = 3,
    Restarting = 4,
    /// <summary>Dead or being removed: only removal is possible.</summary>
    Dead = 5,
}
