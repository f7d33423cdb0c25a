namespace EdgeNode.Link.Contracts;

public enum EventKind
{
    Unknown = 0,
    Boot = 1,
    AppStarted = 2,
    AppExited = 3,
    AppRestarted = 4,
    AppFailed = 5,
    AppShed = 6,
    Degraded = 7,
    Recovered = 8,
    DesiredStateApplied = 9,
    HubUnreachable = 10,
    HubReachable = 11,
    PowerFail = 12,
    CommandDone = 13,
    Custom = 14,
}
