namespace EdgeNode.Agent.Supervision.Planning;

public enum CommandOutcomeKind
{
    Succeeded = 0,
    Failed = 1,
    /// <summary>Not run: its retry backoff (after an earlier failure) has not expired.</summary>
    Deferred = 2,
    /// <summary>Not run: an earlier step of the same app failed or was deferred in this plan.</summary>
    Skipped = 3,
}

/// <summary>What happened to one command of a plan run.</summary>
public sealed record CommandOutcome(ICommand Command, CommandOutcomeKind Kind, Exception? Error = null);
