using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision;

/// <summary>One app as the supervisor last saw it. <see cref="Detail"/> says in plain words why it is in its phase.</summary>
public sealed record AppStatus(
    string Name,
    string Image,
    PriorityClass Priority,
    AppPhase Phase,
    uint Restarts,
    int LastExitCode,
    string ContainerId,
    string LogTail,
    string Error,
    string Detail)
{
    /// <summary>The wire form for <see cref="StatusReport"/>.</summary>
    public AppReport ToReport() => new()
    {
        Name = Name,
        Image = Image,
        Phase = Phase,
        Restarts = Restarts,
        LastExitCode = LastExitCode,
        ContainerId = ContainerId,
        LogTail = LogTail,
        Error = Error,
    };
}
