namespace EdgeNode.Agent.Supervision;

/// <summary>The desired state was rejected as a whole; the previous one stays in force. <see cref="Problems"/> names each app and reason.</summary>
public sealed class InvalidDesiredStateException : Exception
{
    public InvalidDesiredStateException(IReadOnlyList<string> problems)
        : base("Desired state rejected: " + string.Join("; ", problems)) => Problems = problems;

    public IReadOnlyList<string> Problems { get; }
}
