using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision;

/// <summary>
/// A journal-worthy change: AppStarted, AppExited, AppRestarted, AppFailed, AppShed, Degraded (detail = reasons joined by
/// ','), Recovered. <paramref name="App"/> is empty for unit-wide events.
/// </summary>
public sealed record SupervisorEvent(DateTimeOffset Time, EventKind Kind, string App, string Detail);
