namespace EdgeNode.Agent.Supervision;

/// <summary>The answer to a container action (maps to <see cref="Link.Contracts.CommandResult"/>): <paramref name="Output"/> holds a log tail.</summary>
public sealed record ActionResult(bool Ok, string Message, string Output = "");
