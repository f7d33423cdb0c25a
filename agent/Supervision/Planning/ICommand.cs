namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>One small step of a <see cref="Plan"/>. Engine calls happen only in <see cref="ExecuteAsync"/>.</summary>
public interface ICommand
{
    /// <summary>Stable identity across plans (same step for the same target): the runner's retry backoff is keyed by it.</summary>
    string Id { get; }

    /// <summary>The app the step belongs to; a failed step skips the app's later steps in the same plan.</summary>
    string App { get; }

    Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken);

    /// <summary>One line for logs.</summary>
    string Show();
}
