namespace EdgeNode.Link.Contracts;

/// <summary>Operator commands delivered with a heartbeat ack.</summary>
public enum CommandKind
{
    None = 0,
    /// <summary>Blink the identify LED pattern for DurationSeconds.</summary>
    Identify = 1,
    AppStart = 2,
    AppStop = 3,
    AppRestart = 4,
    /// <summary>Return the last TailLines lines of an app's log in the command result.</summary>
    AppLogs = 5,
}
