namespace EdgeNode.Hub.Alerts;

/// <summary>One webhook notification: Pending (retrying with backoff), Delivered, or Failed (retries exhausted; kept as the record).</summary>
public sealed record AlertDeliveryView(
    long Id, long RuleId, string? Tenant, string Url, string State, int Attempts, string LastError,
    DateTimeOffset Created, DateTimeOffset Updated, DateTimeOffset? NextAttempt, string Body);
