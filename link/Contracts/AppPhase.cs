namespace EdgeNode.Link.Contracts;

/// <summary>Lifecycle phase of one app on a unit.</summary>
public enum AppPhase
{
    Unknown = 0,
    Pending = 1,
    Starting = 2,
    Running = 3,
    /// <summary>Exited and waiting for its backoff to expire before the next restart.</summary>
    BackingOff = 4,
    /// <summary>Crash loop: restarts exhausted within the window.</summary>
    Failed = 5,
    /// <summary>Stopped on purpose by the planner because capacity is short.</summary>
    Shed = 6,
    /// <summary>Stopped on operator request or by its restart policy.</summary>
    Stopped = 7,
    /// <summary>Its image is neither in the engine, nor pullable, nor in the cache.</summary>
    ImageMissing = 8,
}
