namespace EdgeNode.Hub.Alerts;

/// <summary>A firing alert: a rule whose condition holds for a subject (device:…, app:…, rollout:…).</summary>
public sealed record AlertView(long RuleId, string Kind, string Subject, string? Tenant, string Summary, DateTimeOffset Since);
